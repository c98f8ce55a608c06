"""Files too large, sheets too long and zip bombs are refused before any parser runs."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
import python_calamine

from jixiao.interchange.excel.limits import Limits
from jixiao.interchange.excel.workbook import read_workbook
from jixiao.interchange.problems import InputRejected
from tests.excel.sheets import LEDGER_HEADER, csv_file, xlsx

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"></Types>'
)


@pytest.fixture
def no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the spreadsheet parser ran")

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_path", refuse)


def _ledger(tmp_path: Path, rows: int) -> Path:
    data = [["单位：元"], LEDGER_HEADER]
    data += [["L01", "2024-03-15", f"记-{n}", 100, "否", None] for n in range(rows)]
    return xlsx(tmp_path / "ledger.xlsx", ("明细", data))


def test_the_limits_come_from_the_environment() -> None:
    limits = Limits.from_env({"JIXIAO_IMPORT_MAX_BYTES": "1000", "JIXIAO_IMPORT_MAX_ROWS": "5"})
    assert (limits.max_bytes, limits.max_rows) == (1000, 5)
    assert Limits.from_env({}) == Limits(max_bytes=20 * 1024 * 1024, max_rows=1_000_000)


@pytest.mark.usefixtures("no_parsing")
def test_it_refuses_a_file_larger_than_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JIXIAO_IMPORT_MAX_BYTES", "1000")
    path = _ledger(tmp_path, 50)
    with pytest.raises(InputRejected) as refused:
        read_workbook(path)
    [problem] = refused.value.problems
    assert problem.where == "ledger.xlsx"
    assert "超过导入上限 1000 字节" in problem.message


@pytest.mark.usefixtures("no_parsing")
def test_it_refuses_a_sheet_declaring_more_rows_than_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JIXIAO_IMPORT_MAX_ROWS", "10")
    with pytest.raises(InputRejected, match="有 22 行，超过导入上限 10 行"):
        read_workbook(_ledger(tmp_path, 20))


def test_it_counts_csv_rows_as_it_reads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JIXIAO_IMPORT_MAX_ROWS", "10")
    rows = [LEDGER_HEADER] + [["L01", "2024-03-15", "记", 1, "否", ""]] * 20
    with pytest.raises(InputRejected, match="超过导入上限 10 行"):
        read_workbook(csv_file(tmp_path / "a.csv", rows, "utf-8"))


def _bomb(path: Path, size: int) -> Path:
    """A tiny .xlsx whose sheet XML inflates to ``size`` bytes of repeated rows."""
    row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'
    body = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            member.write(body + b"<sheetData>")
            written = 0
            chunk = row * 20000
            while written < size:
                member.write(chunk)
                written += len(chunk)
            member.write(b"</sheetData></worksheet>")
    return path


@pytest.mark.usefixtures("no_parsing")
def test_it_refuses_a_zip_bomb_by_its_compression_ratio(tmp_path: Path) -> None:
    path = _bomb(tmp_path / "bomb.xlsx", 30 * 1024 * 1024)
    assert path.stat().st_size < 200_000
    with pytest.raises(InputRejected) as refused:
        read_workbook(path)
    [problem] = refused.value.problems
    assert "xl/worksheets/sheet1.xml 压缩比为" in problem.message
    assert "zip 炸弹" in problem.message


@pytest.mark.usefixtures("no_parsing")
def test_it_refuses_a_zip_whose_members_unpack_beyond_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JIXIAO_IMPORT_MAX_UNCOMPRESSED", str(2 * 1024 * 1024))
    with pytest.raises(InputRejected, match=r"解压后共 3\.\d MB，超过上限 2\.0 MB"):
        read_workbook(_bomb(tmp_path / "bomb.xlsx", 3 * 1024 * 1024))


def test_a_normal_large_sheet_is_not_taken_for_a_bomb(tmp_path: Path) -> None:
    workbook = read_workbook(_ledger(tmp_path, 3000))
    assert workbook.sheets[0].height == 3002
