"""Tables and closing lines of the documents written with python-docx rather than from a
docxtpl template (事前绩效评估报告, the city summary), laid out as the templates' tables are:
centred in the 156 mm type area, columns of fixed widths, 1 mm cell margins, the header
row in 公文表头 repeated at the top of every page, rows in 公文表格 never split across
pages, figures right-aligned (:func:`jixiao.documents.docx_layout.align_figures_right`).

The templates' builder (:mod:`jixiao.documents.template_builder`) uses the same row and
margin settings.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

FORM_CELL_MARGIN = Mm(1)
TYPE_AREA_WIDTH = 156.0
"""mm: A4 less the 28 mm and 26 mm margins."""
BODY_CHARACTER = Pt(16)
"""One 3号 character: the 成文日期 stands four of them in from the right edge."""


def narrow_cell_margins(table: Any) -> None:
    """1 mm left and right in every cell (Word's default is 1.9 mm): amounts fit a line."""
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margins.append(OxmlElement(
            f"w:{side}", {qn("w:w"): str(FORM_CELL_MARGIN.twips), qn("w:type"): "dxa"}
        ))  # fmt: skip
    table._tbl.tblPr.insert_element_before(
        margins, "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange"
    )


def repeat_header(row: Any) -> None:
    """Print ``row`` again at the top of every page the table continues on."""
    row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader", {qn("w:val"): "true"}))


def keep_whole(row: Any) -> None:
    """A row is not split across pages."""
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def fixed_width_table(document: Any, rows: int, widths: Sequence[float]) -> Any:
    """A centred grid table of ``rows`` rows and one column per entry of ``widths`` (mm),
    with 1 mm cell margins and every cell vertically centred."""
    table = document.add_table(rows=rows, cols=len(widths))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    narrow_cell_margins(table)
    for index, width in enumerate(widths):
        table.columns[index].width = Mm(width)  # w:gridCol, which LibreOffice lays out by
        for row in table.rows:
            cell = row.cells[index]
            cell.width = Mm(width)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    return table


def official_table(
    document: Any,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: Sequence[float],
    *,
    total_rows: int = 0,
) -> Any:
    """A table under the header ``header``: one row per entry of ``rows``, the last
    ``total_rows`` of them (合计) in 公文表头; ``widths`` in mm, adding up to the type area.

    Every row but the last is kept on the page with the next one when the table is short
    enough (up to 12 rows) to move to the next page whole; a longer one breaks between
    rows and repeats its header.
    """
    table = fixed_width_table(document, 1 + len(rows), widths)
    texts = [list(header), *(list(row) for row in rows)]
    first_total = len(texts) - total_rows
    for number, (row, values) in enumerate(zip(table.rows, texts, strict=True)):
        heading = number == 0 or number >= first_total
        for cell, text in zip(row.cells, values, strict=True):
            paragraph = cell.paragraphs[0]
            paragraph.text = text
            paragraph.style = document.styles["公文表头" if heading else "公文表格"]
            if len(texts) <= 12 and number < len(texts) - 1:
                paragraph.paragraph_format.keep_with_next = True
        keep_whole(row)
    repeat_header(table.rows[0])
    return table


def date_text(day: date) -> str:
    """2023年1月10日, as a 成文日期 is written."""
    return f"{day.year}年{day.month}月{day.day}日"


def _keep_with_next(body: Any) -> None:
    """The body's last paragraph, or every paragraph of its last table's last row, kept on
    the page with what follows."""
    last = next((e for e in reversed(body) if e.tag in (qn("w:p"), qn("w:tbl"))), None)
    if last is None:
        return
    if last.tag == qn("w:tbl"):
        rows = last.findall(qn("w:tr"))
        paragraphs = list(rows[-1].iter(qn("w:p"))) if rows else []
    else:
        paragraphs = [last]
    for paragraph in paragraphs:
        paragraph.get_or_add_pPr().get_or_add_keepNext()


def closing_lines(document: Any, issuer: str, on: date | None) -> None:
    """The 落款 after the text: one blank line, the issuer, then the date four characters
    in from the right edge (GB/T 9704-2012 7.3.5.3, without a seal). The 落款 is kept on
    the page of the text's last lines, never on a page of its own."""
    _keep_with_next(document.element.body)
    document.add_paragraph("", style="公文正文").paragraph_format.keep_with_next = True
    texts = [text for text in (issuer, date_text(on) if on is not None else "") if text]
    for number, text in enumerate(texts):
        paragraph = document.add_paragraph(text, style="公文正文")
        fmt = paragraph.paragraph_format
        fmt.keep_with_next = number < len(texts) - 1
        fmt.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        fmt.first_line_indent = Pt(0)
        fmt.right_indent = BODY_CHARACTER * 4
        pPr = paragraph._p.get_or_add_pPr()
        ind = pPr.find(qn("w:ind"))
        if ind is not None:  # the style's indent counts in characters; this one does not
            for name in ("w:firstLineChars", "w:rightChars"):
                ind.attrib.pop(qn(name), None)
            ind.set(qn("w:firstLineChars"), "0")
