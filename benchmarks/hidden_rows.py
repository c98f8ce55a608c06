"""Benchmark: what telling the hidden rows adds to reading an .xls, an .ods and a large .xlsx.

    python benchmarks/hidden_rows.py [--rows 60000]

Writes a 支出明细-like sheet (five columns, every 97th row hidden) with openpyxl, saves it
again as .xls and .ods with LibreOffice (skipped without it), then times, each the median
of three: a bare python-calamine read of every value, and the hidden-row pass alone
(``hidden_rows.hidden_rows`` for .xls and .ods; for the .xlsx, ``xlsx_rows.survey``, the
one pass over a streamed sheet that also finds its merged ranges, with the hidden rows and
without). Prints seconds and the ratio pass ÷ bare read, with the load average.
This is a script, not a test: the figures depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import python_calamine
from openpyxl import Workbook

from jixiao.interchange.excel import xlsx_rows
from jixiao.interchange.excel.hidden_rows import hidden_rows


def _median(run: Callable[[], object]) -> float:
    times = []
    for _ in range(3):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _bare(path: Path) -> None:
    with path.open("rb") as stream:
        book = python_calamine.CalamineWorkbook.from_filelike(stream)
        for name in book.sheet_names:
            book.get_sheet_by_name(name).to_python()


def _write(path: Path, rows: int, hide: bool) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "支出明细"
    for i in range(rows):
        sheet.append([f"摘要{i}", i, i * 1.5, "2024-01-01", "否"])
    if hide:
        for row in range(100, rows, 97):
            sheet.row_dimensions[row].hidden = True
    book.save(path)


def _convert(path: Path, suffix: str) -> Path | None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return None
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{path.parent}/lo-profile",
         "--convert-to", suffix, "--outdir", str(path.parent), str(path)],
        check=True, capture_output=True, timeout=600,
    )  # fmt: skip
    return path.with_suffix(f".{suffix}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=60_000)
    args = parser.parse_args()
    print(f"负载：{os.getloadavg()[0]:.2f}（1分钟平均）；{args.rows:,} 行，每97行隐藏1行")
    with tempfile.TemporaryDirectory(prefix="jixiao-bench-") as tmp:
        source = Path(tmp) / "ledger.xlsx"
        plain = Path(tmp) / "plain.xlsx"
        _write(source, args.rows, hide=True)
        _write(plain, args.rows, hide=False)
        heights = {"支出明细": args.rows}
        for suffix, original in (("xls", source), ("ods", source), ("xls", plain), ("ods", plain)):
            path = _convert(original, suffix)
            if path is None:
                print(f"{suffix}：没有 LibreOffice，跳过")
                continue
            suffix_label = f"{suffix} {'有' if original is source else '无'}隐藏行"
            bare = _median(lambda path=path: _bare(path))  # type: ignore[misc]
            found = hidden_rows(path, suffix, heights)
            extra = _median(lambda path=path, s=suffix: hidden_rows(path, s, heights))  # type: ignore[misc]
            hidden = len(found.get("支出明细", ()))
            print(f"{suffix_label}：读取 {bare:.3f} 秒，隐藏行 {extra:.3f} 秒"
                  f"（{extra / bare:.1%}），隐藏 {hidden} 行")  # fmt: skip
        for label, path in (("xlsx 有隐藏行", source), ("xlsx 无隐藏行", plain)):
            with zipfile.ZipFile(path) as archive:
                (part, *_) = xlsx_rows.sheet_parts(archive)
            bare = _median(lambda path=path: _bare(path))  # type: ignore[misc]
            survey = _median(lambda path=path, part=part: xlsx_rows.survey(path, part.member))  # type: ignore[misc]
            hidden = len(xlsx_rows.survey(path, part.member).hidden_rows)
            print(f"{label}：读取 {bare:.3f} 秒，逐行读取的预扫 {survey:.3f} 秒"
                  f"（{survey / bare:.1%}），隐藏 {hidden} 行")  # fmt: skip


if __name__ == "__main__":
    main()
