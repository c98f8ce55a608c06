"""Every document jixiao writes from the demo goes out unedited.

Read back with python-docx and openpyxl: nothing in a document sent out speaks to the
preparer, money is printed in 万元 with two decimals, every printed 合计 (and 小计) is the
sum of the rows above it, text is set in the official faces, the file properties name the
document and not the library that wrote it; and LibreOffice converts each one to PDF.

The documents are written once for the module, in a subprocess with its own JIXIAO_HOME
(``tests/documents/every_document.py``).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import unicodedata
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from math import ceil
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from tests.documents.every_document import OUTGOING
from tests.office import require_tools

ROOT = Path(__file__).resolve().parents[2]
PREPARER_PHRASES = (
    "请填写", "请在此", "填写说明", "XXX", "××", "TODO", "待补充", "示例", "占位",
    "请补充", "请核实", "请修改", "【警告】", "【错误】", "【提示】", "{{", "{%", "审核状态：",
)  # fmt: skip
"""Words addressed to whoever prepares a document, never to its reader."""
EVIDENCE_NOTE = re.compile(r"（[VDL][，,）]|凭记忆|未核实|unverified")
"""A rule file's evidence tag or note (“（D，凭记忆复述）”): for the rule's maintainer."""
CODE_WORD = re.compile(r"[a-z]{3,}(?:[-_][a-z0-9]+)*")
"""An identifier of the program (natures-sum-to-total, assessment): not a reader's word."""
OFFICIAL_FACES = {"方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312", "宋体"}
SHEET_FONT = "SimSun"
REVIEW_SHEET = "审核意见"
INSTRUCTIONS_SHEET = "说明"
WAN = re.compile(r"(?<![≤≥<>＜＞=~～\d.,])(-?\d[\d,]*(?:\.\d+)?)万元")
WAN_PRINTED = re.compile(r"-?\d{1,3}(?:,\d{3})*\.\d{2}")
TOTAL_LABELS = ("合计", "总计")
FIGURE = re.compile(r"-?\d{1,3}(?:,\d{3})*(?:\.\d+)?%?")
LONG_TABLE = 10
"""Rows beyond which a table may run on to another page."""
DEMO_SOURCES = (ROOT / "src/jixiao/demo/liwan-2023.yaml", ROOT / "src/jixiao/demo/synthetic.py")
"""Where the demo department's own words are: an amount it wrote (an indicator's value
“112.6万元”, “调减预算40万元” in its explanation) is printed as it wrote it."""


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> dict[Path, str]:
    home = tmp_path_factory.mktemp("home")
    out = home / "documents"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["JIXIAO_HOME"] = str(home)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), str(ROOT), env.get("PYTHONPATH", "")])
    finished = subprocess.run(
        [sys.executable, "-m", "tests.documents.every_document", str(out)],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=900, check=False,
    )  # fmt: skip
    assert finished.returncode == 0, finished.stderr[-3000:]
    kinds = json.loads((out / "kinds.json").read_text(encoding="utf-8"))
    return {out / name: kind for name, kind in sorted(kinds.items())}


# Reading the documents back


def docx_paragraphs(document: object) -> Iterator[object]:
    """Every paragraph, in the body and in every table cell."""
    body = document.element.body  # type: ignore[attr-defined]
    from docx.text.paragraph import Paragraph

    for element in body.iter(qn("w:p")):
        yield Paragraph(element, document)


def docx_tables(document: object) -> list[list[list[str]]]:
    """Each table as rows of cell texts (a merged cell once per grid column it spans)."""
    return [
        [[cell.text.strip() for cell in row.cells] for row in table.rows]
        for table in document.tables  # type: ignore[attr-defined]
    ]


def sheet_rows(path: Path) -> dict[str, list[list[object]]]:
    """Each sheet's values; a rate (a number shown as a percentage) as its text “0.75%”."""
    workbook = load_workbook(path)
    return {
        sheet.title: [[_shown(cell) for cell in row] for row in sheet.iter_rows()]
        for sheet in workbook.worksheets
    }


def _shown(cell: object) -> object:
    value = cell.value  # type: ignore[attr-defined]
    if isinstance(value, (int, float)) and "%" in cell.number_format:  # type: ignore[attr-defined]
        return f"{value}%"
    return value


def texts(path: Path) -> list[str]:
    """What a reader of the document reads (a workbook's 审核意见 sheet left out)."""
    if path.suffix == ".docx":
        document = Document(str(path))
        return [p.text for p in docx_paragraphs(document)]  # type: ignore[attr-defined]
    return [
        str(value)
        for title, rows in sheet_rows(path).items()
        if title != REVIEW_SHEET
        for row in rows
        for value in row
        if value is not None
    ]


def number(text: object) -> Decimal | None:
    if isinstance(text, (int, float, Decimal)) and not isinstance(text, bool):
        return Decimal(str(text))
    if not isinstance(text, str):
        return None
    cleaned = text.strip().replace(",", "")
    if not re.fullmatch(r"-?\d+(\.\d+)?", cleaned):
        return None
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return None


# The checks, each returning what it found wrong


def preparer_phrases(path: Path) -> list[str]:
    found = [
        f"{phrase}: {text[:60]}"
        for text in texts(path)
        for phrase in PREPARER_PHRASES
        if phrase in text
    ]
    for text in texts(path):
        found += [f"{m.group(0)}: {text[:60]}" for m in EVIDENCE_NOTE.finditer(text)]
        found += [f"{m.group(0)}: {text[:60]}" for m in CODE_WORD.finditer(text)]
    return found


def unformatted_money(path: Path) -> list[str]:
    """Amounts in 万元 in the text, and numbers in a 万元 column of a workbook, that are
    not printed with two decimals and thousands separators (but as the department wrote
    them)."""
    stated = "".join(source.read_text(encoding="utf-8") for source in DEMO_SOURCES)
    wrong = [
        f"{match.group(0)} in {text[:60]}"
        for text in texts(path)
        for match in WAN.finditer(text)
        if not WAN_PRINTED.fullmatch(match.group(1)) and match.group(0) not in stated
    ]
    if path.suffix == ".xlsx":
        wrong += _unformatted_wan_cells(path) + _unformatted_rate_cells(path)
    return wrong


def _unformatted_rate_cells(path: Path) -> list[str]:
    """A rate a workbook holds as a number is shown as a percentage with two decimals."""
    return [
        f"{sheet.title}!{cell.coordinate} {cell.value} {cell.number_format}"
        for sheet in load_workbook(path).worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, (int, float))
        and "%" in cell.number_format
        and cell.number_format != "0.00%"
    ]


def _unformatted_wan_cells(path: Path) -> list[str]:
    wrong = []
    for sheet in load_workbook(path).worksheets:
        if sheet.title == REVIEW_SHEET:
            continue
        wan_columns: dict[int, int] = {}  # column → its header's row
        for row in sheet.iter_rows(max_row=6):
            for cell in row:
                if isinstance(cell.value, str) and "（万元）" in cell.value:
                    wan_columns.setdefault(cell.column, cell.row)
        for column, header_row in wan_columns.items():
            for (cell,) in sheet.iter_rows(min_row=header_row + 1, min_col=column, max_col=column):
                value = cell.value
                if isinstance(value, (int, float, Decimal)) and not cell.number_format.endswith(
                    ".00"
                ):
                    wrong.append(f"{sheet.title}!{cell.coordinate} {value} {cell.number_format}")
                if (
                    isinstance(value, str)
                    and number(value) is not None
                    and not WAN_PRINTED.fullmatch(value.strip())
                ):
                    wrong.append(f"{sheet.title}!{cell.coordinate} “{value}”")
    return wrong


def totals_not_adding_up(path: Path) -> list[str]:
    """Every 合计/小计 row against the rows it totals, column by column (rates, which are
    not sums, and text are left out). A 合计 summed in 元 and rounded once may differ from
    the sum of the rounded rows by half a cent a row."""
    if path.suffix == ".docx":
        tables = docx_tables(Document(str(path)))
    else:
        tables = [rows for title, rows in sheet_rows(path).items() if title != REVIEW_SHEET]
    return [wrong for table in tables for wrong in _table_totals(table)]


def _label(row: list[object]) -> str:
    labels = [str(v).strip() for v in row if isinstance(v, str) and v.strip()]
    return labels[0] if labels else ""


def _table_totals(table: list[list[object]]) -> Iterator[str]:
    width = max((len(row) for row in table), default=0)
    for column in range(1, width):
        details: list[Decimal] = []
        subtotals: list[Decimal] = []
        for row in table:
            cell = row[column] if column < len(row) else None
            value = number(cell)
            label = _label(row[:column])
            if label in TOTAL_LABELS or label == "小计":
                if value is None or str(cell).strip().endswith("%"):
                    details = [] if label == "小计" else details
                    continue
                parts = subtotals if label in TOTAL_LABELS and subtotals else details
                if parts:
                    expected = sum(parts, Decimal(0))
                    tolerance = Decimal("0.005") * len(parts) + Decimal("0.0001")
                    if abs(expected - value) > tolerance:
                        yield f"{label} {value} ≠ {expected} (column {column + 1}: {parts})"
                if label == "小计":
                    subtotals.append(value)
                details = []
            elif value is not None and not str(cell).strip().endswith("%"):
                details.append(value)
            elif cell not in (None, "", "—"):
                details = []  # a header or text row: a new block starts


def unofficial_faces(path: Path) -> list[str]:
    """Paragraphs (docx) whose East Asian face is not an official one; cells (xlsx) not in
    宋体."""
    if path.suffix == ".xlsx":
        return [
            f"{sheet.title}!{cell.coordinate}: {cell.font.name}"
            for sheet in load_workbook(path).worksheets
            for row in sheet.iter_rows()
            for cell in row
            if cell.value not in (None, "") and cell.font.name != SHEET_FONT
        ]
    document = Document(str(path))
    default = _east_asia(document.styles.element.find(f"{qn('w:docDefaults')}//{qn('w:rPr')}"))
    wrong = []
    for paragraph in docx_paragraphs(document):
        if not paragraph.text.strip():  # type: ignore[attr-defined]
            continue
        face = _style_face(paragraph.style) or default  # type: ignore[attr-defined]
        for run in paragraph.runs:  # type: ignore[attr-defined]
            if run.text.strip():
                run_face = _east_asia(run._r.rPr) or face
                if run_face not in OFFICIAL_FACES:
                    wrong.append(f"{run_face}: {paragraph.text[:40]}")  # type: ignore[attr-defined]
    return wrong


def _east_asia(rPr: object) -> str | None:
    if rPr is None:
        return None
    fonts = rPr.find(qn("w:rFonts"))  # type: ignore[attr-defined]
    return None if fonts is None else fonts.get(qn("w:eastAsia"))


def _style_face(style: object) -> str | None:
    while style is not None:
        face = _east_asia(style.element.rPr)  # type: ignore[attr-defined]
        if face:
            return face
        style = style.base_style  # type: ignore[attr-defined]
    return None


def leftover_properties(path: Path) -> list[str]:
    if path.suffix == ".docx":
        properties = Document(str(path)).core_properties
        author, title, comments = properties.author, properties.title, properties.comments
    else:
        book = load_workbook(path).properties
        author, title, comments = book.creator, book.title, book.description
    wrong = [] if title else ["no title"]
    if author in ("python-docx", "openpyxl") or (comments or "").strip():
        wrong.append(f"author {author!r}, comments {comments!r}")
    return wrong


def columns_too_narrow(path: Path) -> list[str]:
    """Figures wider than their column: in a workbook Excel shows ####, in a Word table
    the digits wrap to a second line."""
    if path.suffix == ".docx":
        return _wrapped_figures(Document(str(path)))
    wrong = []
    for sheet in load_workbook(path).worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if not isinstance(value, (int, float)) or isinstance(value, bool):
                    continue
                width = sheet.column_dimensions[cell.column_letter].width or 8.43
                if len(_as_shown(value, cell.number_format)) + 1 > width:
                    wrong.append(f"{sheet.title}!{cell.coordinate} {value} in width {width}")
    return wrong


def _wrapped_figures(document: object) -> list[str]:
    wrong = []
    for table in document.tables:  # type: ignore[attr-defined]
        for row in table.rows:
            for cell in row.cells:
                text = cell.text.strip()
                width = cell._tc.find(f"{qn('w:tcPr')}/{qn('w:tcW')}")
                if not FIGURE.fullmatch(text) or width is None or width.get(qn("w:type")) != "dxa":
                    continue
                size = _style_size(cell.paragraphs[0].style) or 10.5
                # digits are half an em wide in the faces that print them; 1 mm margins each side
                needed = len(text) * size / 2 + 2 * 2.83
                if needed > int(width.get(qn("w:w"))) / 20:
                    wrong.append(f"{text} in {int(width.get(qn('w:w'))) / 20:.0f} pt")
    return wrong


CRAMPED_LINES = 6
"""Lines a table cell may run to while a wider column of its table stands mostly empty."""
CELL_MARGINS = 2 * 2.83
"""pt: the 1 mm cell margin each side."""


def cramped_text_columns(path: Path) -> list[str]:
    """Table cells (docx) whose text runs to more than :data:`CRAMPED_LINES` lines while a
    wider column of the same table is empty in at least two rows of three: the width went
    to the column that does not need it (a 实际完成值 sentence on ten lines beside an empty
    偏差原因分析及改进措施)."""
    if path.suffix != ".docx":
        return []
    from docx.table import _Cell

    wrong = []
    for number, table in enumerate(Document(str(path)).tables, start=1):
        grid = [int(c.get(qn("w:w"))) / 20 for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
        header = [cell.text.strip() for cell in table.rows[0].cells]
        rows = [  # rows with a cell of their own in every column (no 总分, no 说明)
            [_Cell(tc, table) for tc in row._tr.tc_lst]
            for row in table.rows[1:]
            if len(row._tr.tc_lst) == len(grid)
        ]
        empty = [sum(not _holds_text(row[c]) for row in rows) for c in range(len(grid))]
        mostly_empty = [c for c in range(len(grid)) if rows and 3 * empty[c] >= 2 * len(rows)]
        for row in rows:
            for column, cell in enumerate(row):
                lines = _lines_needed(cell, grid[column])
                wider = [header[c] for c in mostly_empty if grid[c] > grid[column]]
                if lines > CRAMPED_LINES and wider:
                    wrong.append(
                        f"table {number}: {header[column]} “{cell.text.strip()[:12]}…” on {lines}"
                        f" lines in {grid[column]:.0f} pt, {wider[0]} empty in"
                        f" {empty[header.index(wider[0])]} of {len(rows)} rows"
                    )
    return wrong


def _holds_text(cell: object) -> bool:
    """A cell with text, or one continuing a merged cell above it."""
    v_merge = cell._tc.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}")  # type: ignore[attr-defined]
    continued = v_merge is not None and v_merge.get(qn("w:val")) != "restart"
    return continued or bool(cell.text.strip())  # type: ignore[attr-defined]


def _lines_needed(cell: object, width: float) -> int:
    """Lines ``cell``'s text takes in a column ``width`` pt wide: Chinese characters (and
    full-width punctuation) one em each, Latin letters and digits half an em."""
    size = _style_size(cell.paragraphs[0].style) or 10.5  # type: ignore[attr-defined]
    per_line = max(1, int((width - CELL_MARGINS) / size))
    total = 0
    for paragraph in cell.paragraphs:  # type: ignore[attr-defined]
        ems = sum(1 if unicodedata.east_asian_width(c) in "WFA" else 0.5 for c in paragraph.text)
        total += max(1, ceil(ems / per_line))
    return total


def _style_size(style: object) -> float | None:
    while style is not None:
        if style.font.size is not None:  # type: ignore[attr-defined]
            return float(style.font.size.pt)  # type: ignore[attr-defined]
        style = style.base_style  # type: ignore[attr-defined]
    return None


def _as_shown(value: float, number_format: str) -> str:
    if "%" in number_format:
        return f"{value * 100:.2f}%"
    if "," in number_format:
        return f"{value:,.2f}"
    return f"{value}"


def header_rows_not_repeated(path: Path) -> list[str]:
    """Tables (docx) long enough to run on to another page (a short form block is kept
    whole) whose header row is not repeated there, and sheets (xlsx) with a table but no
    print title rows."""
    if path.suffix == ".docx":
        return [
            f"table {number}: {table.rows[0].cells[0].text[:20]}"
            for number, table in enumerate(Document(str(path)).tables, start=1)
            if len(table.rows) > LONG_TABLE
            and table.rows[0]._tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is None
        ]
    return [
        sheet.title
        for sheet in load_workbook(path).worksheets
        if sheet.max_row > 3
        and sheet.title not in (REVIEW_SHEET, INSTRUCTIONS_SHEET)
        and not sheet.print_title_rows
    ]


def rows_split_across_pages(path: Path) -> list[str]:
    """Table rows (docx) that may break at a page end: half a row's figures under the
    repeated header overleaf."""
    if path.suffix != ".docx":
        return []
    return [
        f"table {number} row {index}: {row.cells[0].text[:20]}"
        for number, table in enumerate(Document(str(path)).tables, start=1)
        for index, row in enumerate(table.rows)
        if row._tr.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is None
    ]


def joined_tables(path: Path) -> list[str]:
    """Tables (docx) that follow one another with nothing between: LibreOffice prints them
    as one table, and the second one's header row is not repeated on the next page."""
    if path.suffix != ".docx":
        return []
    body = Document(str(path)).element.body
    return [
        f"table before {_text_of(table.getnext())[:20]}"
        for table in body.iter(qn("w:tbl"))
        if table.getnext() is not None and table.getnext().tag == qn("w:tbl")
    ]


def _text_of(element: object) -> str:
    return "".join(t.text or "" for t in element.iter(qn("w:t")))  # type: ignore[attr-defined]


def empty_columns(path: Path) -> list[str]:
    """Table columns (docx) with a heading but nothing in any row under it but the 合计:
    a column printed for nothing."""
    if path.suffix != ".docx":
        return []
    wrong = []
    for number, table in enumerate(docx_tables(Document(str(path))), start=1):
        header, *body = table
        body = [row for row in body if _label(row) not in TOTAL_LABELS and len(row) == len(header)]
        for column, heading in enumerate(header):
            if body and heading and not any(row[column] for row in body):
                wrong.append(f"table {number}: {heading}")
    return wrong


LIST_WORKBOOKS = (
    "budget-list.xlsx", "findings-list.xlsx", "todo-list.xlsx", "audit-log.xlsx",
    "rectification-list.xlsx", "disclosure-list.xlsx", "result-application-list.xlsx",
)  # fmt: skip
SHORT_TEXT = 12
"""Characters of a label (a 资金来源, a 支出性质, a check's name) that a list's column holds
on one line."""


def wrapped_labels(path: Path) -> list[str]:
    """Short labels below a list's header row (row 2) that their column is too narrow to
    hold on one line: the row is printed twice as tall for one wrapped word."""
    if path.name not in LIST_WORKBOOKS:
        return []
    from jixiao.documents.sheet_setup import lines_needed

    wrong = []
    for sheet in load_workbook(path).worksheets:
        for row in sheet.iter_rows(min_row=3):
            for cell in row:
                value = cell.value
                if not isinstance(value, str) or len(value) > SHORT_TEXT or "\n" in value:
                    continue
                width = sheet.column_dimensions[cell.column_letter].width or 8.43
                if lines_needed(value, width) > 1:
                    wrong.append(f"{sheet.title}!{cell.coordinate} {value} in width {width}")
    return wrong


OPTIONAL_DECIMALS = re.compile(r"\.#+(?:;|$)")
"""A number format (0.##) Excel shows a whole number in with a trailing point: “20.”."""


def trailing_points(path: Path) -> list[str]:
    if path.suffix != ".xlsx":
        return []
    return [
        f"{sheet.title}!{cell.coordinate} {cell.value} {cell.number_format}"
        for sheet in load_workbook(path).worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, (int, float)) and OPTIONAL_DECIMALS.search(cell.number_format)
    ]


RAW_TIMESTAMP = re.compile(r"\d{2}:\d{2}:\d{2}\.\d+|\d[+-]\d{2}:\d{2}\b|\dT\d{2}:\d{2}")
"""A moment as the program stores it (16:27:55.231171+00:00, 2023-01-10T08:00)."""


def raw_timestamps(path: Path) -> list[str]:
    """Moments printed as stored rather than as the 时间 column prints them."""
    return [text[:60] for text in texts(path) if RAW_TIMESTAMP.search(text)]


WORKING_LISTS = ("audit-log.xlsx", "findings-list.xlsx")
"""Lists for the preparer that still show no program word: the check's name, the field's
label, the rule set's name, the object's name (not ``weights-not-100``, ``assessment``,
``mof-2020-project``, ``编号 3``)."""
FILE_NAME = re.compile(r"[^\s：；，]+\.(?:xlsx|xls|docx|csv|md|pdf|yaml)\b")
ACCOUNT_NAME = re.compile(r"\b(?:demo-[a-z]+|every-document)\b")
"""The accounts' user names (demo-finance): chosen by whoever set the accounts up."""
INTERNAL_ID = re.compile(r"[a-z]+-[a-z-]+|[a-z_]{3,}|编号 \d+")


def program_words(path: Path) -> list[str]:
    """Identifiers of the program in a working list's cells (file names, account names and
    the demo department's own words left aside)."""
    stated = "".join(source.read_text(encoding="utf-8") for source in DEMO_SOURCES)
    found = []
    for text in texts(path):
        bare = ACCOUNT_NAME.sub("", FILE_NAME.sub("", text))
        for match in INTERNAL_ID.finditer(bare):
            around = bare[max(0, match.start() - 2) : match.end() + 8]  # within a source line
            if around not in stated:
                found.append(f"{match.group(0)}: {text[:60]}")
    return found


def test_the_working_lists_show_no_program_words(documents: dict[Path, str]) -> None:
    lists = [path for path in documents if path.name in WORKING_LISTS]
    assert len(lists) == len(WORKING_LISTS)
    wrong = {path.name: found for path in lists if (found := program_words(path))}
    assert not wrong, json.dumps(wrong, ensure_ascii=False, indent=1)


def test_the_review_sheets_name_checks_and_places_in_words(documents: dict[Path, str]) -> None:
    """A workbook's 审核意见 sheet, like the findings list, names the check a finding comes
    from and where it points in words (目标实现可能性未判断, 绩效指标第1项), never as the
    program does (likelihood-missing, indicators[0])."""
    from jixiao.interchange.check_names import PATH, packaged_check_names

    ids = set(packaged_check_names())
    wrong = {
        path.name: found
        for path in documents
        if path.suffix == ".xlsx"
        and (found := [
            str(value)
            for title, rows in sheet_rows(path).items()
            if title == REVIEW_SHEET
            for row in rows
            for value in row
            if isinstance(value, str) and (value in ids or PATH.fullmatch(value))
        ])
    }  # fmt: skip
    reviewed = [path for path in documents if path.suffix == ".xlsx"
                and REVIEW_SHEET in load_workbook(path).sheetnames]  # fmt: skip
    assert reviewed
    assert not wrong, json.dumps(wrong, ensure_ascii=False, indent=1)


def test_the_ex_ante_sheet_says_what_the_report_concludes(documents: dict[Path, str]) -> None:
    """The 评分表 and the 事前绩效评估报告 of one assessment: the report's 评估结论 section
    (conclusion and opinion) is on the sheet too."""
    report = next(path for path in documents if path.name == "ex-ante-report.docx")
    sheet = " ".join(texts(next(path for path in documents if path.name == "ex-ante-sheet.xlsx")))
    lines = [text.strip() for text in texts(report) if text.strip()]
    concluded = lines[lines.index("四、评估结论") + 1 : -2]  # up to the 落款 (issuer, date)
    stated = [text for text in concluded if not text.startswith("评估人")]
    assert len(stated) >= 2, concluded
    assert all(text.rstrip("。") in sheet for text in stated), (stated, sheet[-300:])


def test_the_city_summary_is_signed_by_the_finance_bureau(documents: dict[Path, str]) -> None:
    from jixiao.storage.models import DEFAULT_BUREAU_NAME

    summary = next(path for path in documents if path.name == "city-summary.docx")
    lines = [text.strip() for text in texts(summary) if text.strip()]
    signed = lines.index(DEFAULT_BUREAU_NAME)
    assert re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", lines[signed + 1])


def test_the_city_summary_dates_no_figure_by_the_monitoring_date(
    documents: dict[Path, str],
) -> None:
    """The summary adds up the self-evaluation reports' full-year figures: its 执行数 is
    the report's, and nothing in it says the figures stand at the monitoring date."""
    summary = next(path for path in documents if path.name == "city-summary.docx")
    report = next(path for path in documents if path.name.endswith("-self-evaluation.docx"))
    executed = re.compile(r"执行数([\d,]+\.\d{2})万元")
    stated = {m.group(1) for text in texts(report) for m in executed.finditer(text)}
    summed = {m.group(1) for text in texts(summary) for m in executed.finditer(text)}
    assert summed and summed <= stated, (summed, stated)
    assert not [text for text in texts(summary) if "截至" in text]


CHECKS = {
    "preparer phrases": preparer_phrases,
    "money not in 万元 or rates not in % with two decimals": unformatted_money,
    "totals that are not the sum of their rows": totals_not_adding_up,
    "text not in the official faces": unofficial_faces,
    "file properties left over": leftover_properties,
    "header rows not repeated": header_rows_not_repeated,
    "columns too narrow for their figures": columns_too_narrow,
    "table rows that may split across pages": rows_split_across_pages,
    "table columns left empty": empty_columns,
    "tables joined into one": joined_tables,
    "text crammed beside a mostly empty column": cramped_text_columns,
    "moments printed as stored": raw_timestamps,
    "whole numbers shown with a trailing point": trailing_points,
    "labels wrapped in a list's narrow column": wrapped_labels,
}


def test_every_kind_of_document_is_written(documents: dict[Path, str]) -> None:
    names = {path.name for path in documents}
    for expected in (
        "2023-liwan-ghzy-self-evaluation.docx", "2023-liwan-ghzy-evaluation.xlsx",
        "2023-liwan-ghzy-monitoring-20230731.docx", "ex-ante-report.docx", "ex-ante-sheet.xlsx",
        "city-summary.docx", "city-summary.xlsx", "published-goals.xlsx",
        "result-application-list.xlsx", "budget-list.xlsx", "rectification-list.xlsx",
        "findings-list.xlsx", "todo-list.xlsx", "audit-log.xlsx",
        "2023-liwan-ghzy-self-evaluation-review.docx",
    ):  # fmt: skip
        assert expected in names


@pytest.mark.parametrize("check", [c for c in CHECKS if c != "preparer phrases"])
def test_every_document_is_set_as_sent(documents: dict[Path, str], check: str) -> None:
    wrong = {path.name: found for path in documents if (found := CHECKS[check](path))}
    assert not wrong, json.dumps(wrong, ensure_ascii=False, indent=1)


def test_no_document_sent_out_speaks_to_the_preparer(documents: dict[Path, str]) -> None:
    outgoing = [path for path, kind in documents.items() if kind == OUTGOING]
    wrong = {path.name: found for path in outgoing if (found := preparer_phrases(path))}
    assert not wrong, json.dumps(wrong, ensure_ascii=False, indent=1)


@pytest.mark.libreoffice
def test_libreoffice_converts_every_document_to_pdf(
    documents: dict[Path, str], tmp_path: Path
) -> None:
    require_tools("soffice", "pdfinfo", "pdftotext")
    from jixiao.documents.pdf import convert_to_pdf
    from tests.office import pdf_pages_and_size

    alone = []
    for path in documents:
        pdf = convert_to_pdf(path, tmp_path / path.stem)
        pages, _size = pdf_pages_and_size(pdf)
        assert pages >= 1, path.name
        if path.suffix == ".docx" and pages > 1 and _only_the_closing_lines(pdf, pages):
            alone.append(path.name)
    assert not alone, f"落款 alone on the last page: {alone}"


PAGE_NUMBER = re.compile(r"—\s*\d+\s*—")
DATE_LINE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")


def _only_the_closing_lines(pdf: Path, page: int) -> bool:
    """The page holds nothing but the 落款 (the issuer and the date), and its number."""
    text = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(pdf), "-"],
        capture_output=True, text=True, check=True, timeout=60,
    ).stdout  # fmt: skip
    lines = [line.strip() for line in PAGE_NUMBER.sub("", text).splitlines() if line.strip()]
    return len(lines) <= 2 and bool(lines) and bool(DATE_LINE.fullmatch(lines[-1]))
