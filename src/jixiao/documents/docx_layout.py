"""Finishing a rendered report for print: title lines, table alignment, properties.

docxtpl fills the templates' tags; what a tag cannot do is done here on the rendered
document, the same way for the self-evaluation report and the monitoring report:

* the title (style 公文标题) is set in balanced lines broken at word boundaries
  (:func:`jixiao.documents.titles.title_lines`), one line break between them;
* table cells that hold an amount, a count or a rate are right-aligned;
* no table row is split across two pages (a template's rows may lack w:cantSplit);
* two tables printed as one form (a 项目支出绩效自评表's 项目 block, then its indicators)
  are kept two tables by a paragraph one point high: LibreOffice joins adjacent tables,
  and the indicators' header row is then no longer the top row it repeats from;
* the document properties name the report, the department and the date.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

from jixiao.documents.titles import title_lines

TITLE_STYLE_ID = "GongwenTitle"
APPLICATION = "jixiao"

_AMOUNT = re.compile(r"[-−]?\d{1,3}(,\d{3})*(\.\d+)?%?|[-−]?\d+(\.\d+)?%?")
"""A cell that is one figure: 1,234.56, 96.42%, −3, 12."""


def _style_id(paragraph: Any) -> str | None:
    style = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    return None if style is None else style.get(qn("w:val"))


def _text(element: Any) -> str:
    return "".join(t.text or "" for t in element.iter(qn("w:t")))


def break_titles(body: Any) -> None:
    """Set each 公文标题 paragraph's text as its :func:`title_lines`, one w:br apart.

    The runs after the first are removed; the first keeps its formatting.
    """
    for paragraph in body.iter(qn("w:p")):
        if _style_id(paragraph) != TITLE_STYLE_ID:
            continue
        runs = paragraph.findall(qn("w:r"))
        lines = title_lines(_text(paragraph))
        if not runs or len(lines) < 2:
            continue
        first = runs[0]
        for run in runs[1:]:
            paragraph.remove(run)
        for child in list(first):
            if child.tag != qn("w:rPr"):
                first.remove(child)
        for index, line in enumerate(lines):
            if index:
                first.append(OxmlElement("w:br"))
            text = OxmlElement("w:t")
            text.text = line
            first.append(text)


def _align_right(paragraph: Any) -> None:
    pPr = paragraph.find(qn("w:pPr"))
    if pPr is None:
        pPr = OxmlElement("w:pPr")
        paragraph.insert(0, pPr)
    jc = pPr.find(qn("w:jc"))
    if jc is None:
        jc = OxmlElement("w:jc")
        # w:jc comes after every pPr child a rendered cell paragraph carries but w:rPr
        rPr = pPr.find(qn("w:rPr"))
        if rPr is None:
            pPr.append(jc)
        else:
            rPr.addprevious(jc)
    jc.set(qn("w:val"), "right")


def align_figures_right(body: Any) -> None:
    """Right-align every table cell whose whole text is one figure (amount, rate, count)."""
    for cell in body.iter(qn("w:tc")):
        paragraphs = cell.findall(qn("w:p"))
        text = "".join(_text(p) for p in paragraphs).strip()
        if text and _AMOUNT.fullmatch(text):
            for paragraph in paragraphs:
                _align_right(paragraph)


def keep_rows_whole(body: Any) -> None:
    """Mark every table row w:cantSplit: a row broken at a page end leaves half a figure
    (“64,865.31～” here, “75,708.62” overleaf) under a repeated header."""
    for row in body.iter(qn("w:tr")):
        trPr = row.find(qn("w:trPr"))
        if trPr is None:
            trPr = OxmlElement("w:trPr")
            tblPrEx = row.find(qn("w:tblPrEx"))
            if tblPrEx is None:
                row.insert(0, trPr)
            else:
                tblPrEx.addnext(trPr)
        if trPr.find(qn("w:cantSplit")) is None:
            trPr.insert(0, OxmlElement("w:cantSplit"))


SEAM_HEIGHT = 20
"""Twips (one point): the paragraph between two tables, too thin to see."""


def _seam() -> Any:
    paragraph = OxmlElement("w:p")
    pPr = OxmlElement("w:pPr")
    pPr.append(OxmlElement("w:keepNext"))
    pPr.append(OxmlElement("w:snapToGrid", {qn("w:val"): "0"}))  # not a line of the page grid
    pPr.append(OxmlElement("w:spacing", {
        qn("w:before"): "0", qn("w:after"): "0",
        qn("w:line"): str(SEAM_HEIGHT), qn("w:lineRule"): "exact",
    }))  # fmt: skip
    pPr.append(OxmlElement("w:ind", {qn("w:firstLine"): "0", qn("w:firstLineChars"): "0"}))
    rPr = OxmlElement("w:rPr")
    rPr.append(OxmlElement("w:sz", {qn("w:val"): "2"}))
    pPr.append(rPr)
    paragraph.append(pPr)
    return paragraph


def separate_adjacent_tables(body: Any) -> None:
    """A one-point paragraph between every two tables that follow each other directly."""
    for table in list(body.iter(qn("w:tbl"))):
        following = table.getnext()
        if following is not None and following.tag == qn("w:tbl"):
            table.addnext(_seam())


def set_properties(document: Any, title: str, author: str, on: date) -> None:
    """Title, author (the department), created and modified (the report date)."""
    properties = document.core_properties
    moment = datetime.combine(on, time(0, 0))
    properties.title = title
    properties.author = author
    properties.last_modified_by = author or APPLICATION
    properties.created = moment
    properties.modified = moment
    properties.revision = 1
    properties.comments = ""
    properties.keywords = ""
    properties.subject = ""
    properties.category = ""
    _set_company(document, author)


def _set_company(document: Any, company: str) -> None:
    for part in document.part.package.iter_parts():
        if part.partname != "/docProps/app.xml":
            continue
        root = etree.fromstring(part.blob)
        for element in root:
            name = etree.QName(element).localname
            if name == "Company":
                element.text = company
            elif name == "Application":
                element.text = APPLICATION
        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def finish_for_print(document: Any, title: str, author: str, on: date) -> None:
    """Everything above, on a rendered python-docx ``Document``."""
    body = document.element.body
    break_titles(body)
    align_figures_right(body)
    keep_rows_whole(body)
    separate_adjacent_tables(body)
    set_properties(document, title, author, on)
