"""An import started while `load --replace` rewrites the year waits for it, then reads the
year it wrote. (A PostgreSQL race: SQLite's writers wait for the whole database.)"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from django.db import connection, connections, transaction

from jixiao.interchange.dataset_file import parse_dataset
from jixiao.interchange.excel.layouts import LEDGER_KIND
from jixiao.services.excel_export import export_workbook
from jixiao.services.excel_import import import_workbook
from jixiao.services.storing import store_dataset

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_import_during_a_replace_waits_and_finds_the_rewritten_year(
    small_year_text: str, tmp_path: Path
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the race is PostgreSQL's; SQLite's writers wait for the whole database")
    dataset = parse_dataset(small_year_text.encode())
    store_dataset(dataset)
    ledger = export_workbook("test-dept", 2024, LEDGER_KIND, tmp_path / "ledger.xlsx")
    outcome: dict[str, object] = {}

    def run_import() -> None:
        try:
            outcome["result"] = import_workbook(ledger)
        except Exception as error:  # the assertion below shows it
            outcome["error"] = error
        finally:
            connections["default"].close()

    with transaction.atomic():
        store_dataset(dataset, replace=True)
        importer = threading.Thread(target=run_import)
        importer.start()
        time.sleep(1.5)
        assert importer.is_alive()  # waiting for the replace to commit
    importer.join(60)
    assert "error" not in outcome, outcome.get("error")
    assert "result" in outcome
