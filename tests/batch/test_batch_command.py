"""``jixiao batch`` with two worker processes: progress on the command line, one zip with
every department's documents and the city summary, each job done exactly once."""

from __future__ import annotations

import sqlite3
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

from docx import Document
from openpyxl import load_workbook

from tests.hardening.hostile import jixiao_command
from tests.web.conftest import department_text

Write = Callable[..., Path]


def _load_two(home: Path, small_year_text: str, write_file: Write) -> None:
    for text, name in (
        (small_year_text, "first.yaml"),
        (department_text(small_year_text, "other-dept", "另一区另一局"), "other.yaml"),
    ):
        command, env = jixiao_command(home, "load", write_file(text, name))
        subprocess.run(command, env=env, check=True, capture_output=True)


def test_the_batch_runs_on_two_workers_and_shows_its_progress(
    write_file: Write, small_year_text: str, tmp_path: Path
) -> None:
    home, out = tmp_path / "home", tmp_path / "out"
    _load_two(home, small_year_text, write_file)
    command, env = jixiao_command(home, "batch", "--year", "2024", "--out", out,
                                  "--workers", "2")  # fmt: skip
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "已排队：2024年度批量生成（编号 1，2 个部门）" in done.stdout
    assert "进度：[####################] 3/3（100%）" in done.stdout
    assert done.stdout.index("0/3（0%）") < done.stdout.index("3/3（100%）")
    archive = out / "2024-city-batch-1.zip"
    assert f"全部文件（zip）：{archive}" in done.stdout
    with zipfile.ZipFile(archive) as bundle:
        names = set(bundle.namelist())
    for code in ("test-dept", "other-dept"):
        assert f"{code}/2024-{code}-self-evaluation.docx" in names
        assert f"{code}/2024-{code}-self-evaluation-review.docx" in names
        assert f"{code}/2024-{code}-evaluation.xlsx" in names
        assert f"{code}/2024-{code}-monitoring-20240731.docx" in names
        assert f"{code}/2024-{code}-monitoring-20240731.xlsx" in names
    assert {"2024-city-summary.docx", "2024-city-summary.xlsx"} <= names
    with sqlite3.connect(home / "jixiao.sqlite3") as database:
        attempts = database.execute("SELECT attempts, state FROM storage_batchjob").fetchall()
    assert attempts == [(1, "done")] * 3  # no job was taken twice

    text = "\n".join(p.text for p in Document(str(out / "2024-city-summary.docx")).paragraphs)
    assert "2024年度全市部门整体支出绩效自评情况汇总" in text.replace("\n", "")
    assert "各部门审核意见共列出错误2项" in text
    assert "纳入汇总的部门2个，已生成自评报告的2个" in text
    # each department: 全年预算数 920 万元, 执行数 298.5 + 110 + 210.25 万元
    assert "全年预算数合计1,840.00万元，执行数1,237.50万元，预算执行率67.26%。" in text
    table = Document(str(out / "2024-city-summary.docx")).tables[0]
    assert [row.cells[0].text for row in table.rows] == [
        "部门名称", "另一区另一局", "测试区测试局", "合计",
    ]  # fmt: skip
    assert [cell.text for cell in table.rows[-1].cells][3:6] == ["1,840.00", "1,237.50", "67.26%"]

    book = load_workbook(out / "2024-city-summary.xlsx")
    overview = {row[0]: row[1] for row in book["总体情况"].iter_rows(min_row=3, values_only=True)}
    assert overview["执行数（万元）"] == "1,237.50"
    assert overview["纳入汇总的部门"] == "2个"
    rows = list(book["各部门情况"].iter_rows(min_row=3, values_only=True))
    assert [row[0] for row in rows] == ["另一区另一局", "测试区测试局", "合计"]
    assert rows[-1][4] == 1237.5  # 万元, a number the sheet sums
