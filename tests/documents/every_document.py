"""Every kind of document jixiao writes, from the demo, into one folder.

Run as ``python -m tests.documents.every_document FOLDER`` with its own JIXIAO_HOME (the
test runs it in a subprocess, as test_pdf_output runs the demo): the demo is loaded and
written as ``jixiao demo`` writes it, then a 事前绩效评估 is stored for one project, the
rectification list is drawn from the problems and findings, the publication list is kept,
every list the pages export is downloaded as 财务科 downloads it, the 绩效目标申报表 and
自评表 are exported as ``jixiao export-xlsx`` exports them, and the city summary is written
by a batch of the demo department. ``FOLDER/kinds.json`` names each file's kind.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

DEMO, YEAR = "liwan-ghzy", 2023
PASSWORD = "every-document-password-1"

OUTGOING = "outgoing"
"""A document sent out as it is: nothing in it may speak to the preparer."""
FOR_PREPARER = "for-preparer"
"""审核意见 and the working lists (findings, 待办, 审计日志): addressed to the preparer."""

EXPORTS = {
    "budget-list.xlsx": ("budget/export/", OUTGOING),
    "findings-list.xlsx": ("findings/export/", FOR_PREPARER),
    "todo-list.xlsx": ("todo/export/", FOR_PREPARER),
    "audit-log.xlsx": ("audit/export/", FOR_PREPARER),
    "rectification-list.xlsx": ("rectification/export/", OUTGOING),
    "disclosure-list.xlsx": ("disclosure/export/", OUTGOING),
    "result-application-list.xlsx": ("results/export/", OUTGOING),
}


def _demo(folder: Path) -> dict[str, str]:
    from jixiao.cli import cmd_demo

    with contextlib.redirect_stdout(io.StringIO()):
        assert cmd_demo(argparse.Namespace(out=str(folder), city=None)) == 0
    return {
        path.name: FOR_PREPARER if path.stem.endswith("-review") else OUTGOING
        for path in folder.iterdir()
        if path.suffix in (".docx", ".xlsx")
    }


def _ex_ante(folder: Path, client: object, project: object) -> dict[str, str]:
    from jixiao.core.ex_ante import ItemScore
    from jixiao.services import ex_ante

    fiscal_year = project.fiscal_year  # type: ignore[attr-defined]
    items = ex_ante.sheet_of(fiscal_year).items
    scores = {
        item.code: ItemScore(item.code, item.weight * Decimal("0.9"), comment=f"{item.name}充分")
        for item in items
    }
    filled = ex_ante.Filled(scores, "张三", date(YEAR, 1, 10), "建议按评估结论安排预算。")
    ex_ante.save_assessment(project, filled)
    base = f"/d/{DEMO}/{YEAR}/ex-ante/{project.code}/"  # type: ignore[attr-defined]
    return {
        **_download(folder, client, "ex-ante-report.docx", base + "report.docx", OUTGOING),
        **_download(folder, client, "ex-ante-sheet.xlsx", base + "sheet.xlsx", OUTGOING),
    }


def _download(folder: Path, client: object, name: str, url: str, kind: str) -> dict[str, str]:
    response = client.get(url)  # type: ignore[attr-defined]
    assert response.status_code == 200, (url, response.status_code)
    content = b"".join(response.streaming_content) if response.streaming else response.content
    (folder / name).write_bytes(content)
    return {name: kind}


def _lists(folder: Path, client: object) -> dict[str, str]:
    kinds = {}
    for name, (url, kind) in EXPORTS.items():
        kinds.update(_download(folder, client, name, f"/d/{DEMO}/{YEAR}/{url}", kind))
    return kinds


def _published(folder: Path, fiscal_year: object) -> dict[str, str]:
    from jixiao.services import disclosure

    disclosure.save_choices(
        fiscal_year,  # type: ignore[arg-type]
        {code: disclosure.Choice(True) for code in disclosure.BY_CODE},
        "财务科",
    )
    item, content = disclosure.published_document(fiscal_year, "goals")  # type: ignore[arg-type]
    name = f"published-goals{item.suffix}"
    (folder / name).write_bytes(content)
    return {name: OUTGOING}


def _forms(folder: Path) -> dict[str, str]:
    """The 绩效目标申报表 and 自评表 as the Excel export writes them (export-xlsx). The
    申报表 is the fill-in template: its 填表说明 sheet and 部门代码 row are for the preparer
    and for importing it back."""
    from jixiao.services.excel_export import export_form_workbook

    kinds = {}
    for kind, audience in (("goals", FOR_PREPARER), ("evaluation", OUTGOING)):
        name = f"{kind}-form.xlsx"
        export_form_workbook(DEMO, YEAR, kind, folder / name, None)
        kinds[name] = audience
    return kinds


def _city_summary(folder: Path) -> dict[str, str]:
    from jixiao.services.city_batch import request_batch, work

    batch = request_batch(YEAR, folder / "city", [DEMO])
    work(until_idle=True, poll=0.1)
    kinds = {}
    for path in (folder / "city").glob(f"{YEAR}-city-summary.*"):
        target = folder / f"city-summary{path.suffix}"
        path.replace(target)
        kinds[target.name] = OUTGOING
    assert kinds, f"batch {batch.pk} wrote no summary"
    return kinds


def write_every_document(folder: Path) -> dict[str, str]:
    """Write every document into ``folder``; return file name → OUTGOING or FOR_PREPARER."""
    from django.conf import settings
    from django.test import Client

    from jixiao.storage import models as m
    from jixiao.web.accounts import create_account
    from jixiao.web.models import Role

    settings.ALLOWED_HOSTS = ["testserver"]
    folder.mkdir(parents=True, exist_ok=True)
    kinds = _demo(folder)
    fiscal_year = m.FiscalYear.objects.get(department__code=DEMO, year=YEAR)
    finance = create_account("every-document", Role.finance, PASSWORD, fiscal_year.department)
    client = Client()
    client.force_login(finance.user)
    from jixiao.services import rectification

    rectification.items_from_problems(fiscal_year)
    rectification.items_from_findings(fiscal_year)
    kinds.update(_ex_ante(folder, client, fiscal_year.projects.order_by("code").first()))
    kinds.update(_published(folder, fiscal_year))
    kinds.update(_lists(folder, client))
    kinds.update(_forms(folder))
    kinds.update(_city_summary(folder))
    return kinds


def main(argv: list[str]) -> int:
    import django

    django.setup()
    from jixiao.cli import _migrate

    _migrate()
    folder = Path(argv[0])
    kinds = write_every_document(folder)
    (folder / "kinds.json").write_text(json.dumps(kinds, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.settings")
    raise SystemExit(main(sys.argv[1:]))
