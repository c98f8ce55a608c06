"""Build the Word template of the self-evaluation report (``self-evaluation.docx``).

The template is a docxtpl (Jinja) document laid out as an official document per
GB/T 9704-2012《党政机关公文格式》:

* A4 paper; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm, which leaves a
  156 mm × 225 mm type area holding 22 lines of 28 characters: a document grid of lines
  28.95 pt apart, and body characters drawn at 98 % width (see :data:`GLYPH_SCALE`);
* title in 2号 (22 pt) 方正小标宋简体, centred, followed by one blank line;
* body in 3号 (16 pt) 仿宋_GB2312, first line indented two characters, lines exactly
  28.95 pt apart; first-level headings (一、) in 黑体, second-level headings (（一）) in
  楷体_GB2312, third-level run-in headings (1.) bold;
* the official fonts are named first; the font table (fontTable.xml) describes each
  with its charset, family and PANOSE class and an alternative name, so that Word on a
  machine without them picks a like face, and :mod:`jixiao.documents.pdf` maps them to
  free faces (Noto Serif CJK SC, Noto Sans CJK SC, AR PL UKai CN) when converting;
* page numbers “— N —” in 4号 (14 pt) 宋体 below the type area, odd pages right and even
  pages left, one character in from the edge of the type area.

Every piece of formatting lives in a named style (公文标题, 公文正文, 一级标题, …) so that a
user can restyle the template in Word without touching the Jinja tags.  The variable
names in the tags are the field names of :class:`jixiao.core.narrative.ReportContent`.

Regenerate the packaged template with::

    python -m jixiao.documents.template_builder src/jixiao/documents/templates/self-evaluation.docx

The monitoring report (``monitoring.docx``) is built from the same page setup, styles
and page numbers (:func:`official_document`), with table, figure and caption styles
added; regenerate it with ``python -m jixiao.documents.template_builder --monitoring``
(optionally followed by the output path).
"""

from __future__ import annotations

import io
import sys
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import nsmap, qn
from docx.shared import Mm, Pt, Twips
from docx.styles.style import BaseStyle, CharacterStyle, ParagraphStyle
from docx.text.paragraph import Paragraph
from lxml import etree

from jixiao.core.cost_analysis import TABLE_HEADERS as COST_TABLE_HEADERS
from jixiao.documents.docx_tables import (
    FORM_CELL_MARGIN,
    TYPE_AREA_WIDTH,
    fixed_width_table,
    keep_whole,
    repeat_header,
)
from jixiao.documents.evaluation_forms import (
    DEPARTMENT_HEADERS,
    FUNDS_HEADERS,
    PROJECT_INDICATOR_HEADERS,
)

PACKAGED_TEMPLATE = Path(__file__).parent / "templates" / "self-evaluation.docx"
MONITORING_TEMPLATE = Path(__file__).parent / "templates" / "monitoring.docx"

# --- GB/T 9704-2012 page geometry -------------------------------------------------
PAGE_WIDTH = Mm(210)
PAGE_HEIGHT = Mm(297)
MARGIN_TOP = Mm(37)
MARGIN_BOTTOM = Mm(35)
MARGIN_LEFT = Mm(28)
MARGIN_RIGHT = Mm(26)
LINES_PER_PAGE = 22
GLYPH_SCALE = 98
"""Body characters are drawn at 98 % width (w:w), 15.68 pt each: 28 of them (439 pt) fit
the 442.25 pt type width and a 29th does not, so every application breaks lines after 28.

Neither of the usual ways works in every application: condensing the character spacing
(−0.25 pt) makes LibreOffice drop punctuation at line ends, and a character grid
(w:docGrid w:type="linesAndChars" w:charSpace="-841") makes LibreOffice 7.4 pad every run
of digits or Latin letters to whole grid cells ("2023  年", "103,118.19  万元"). The
document grid therefore holds the lines only, and body text is set flush left: when a
justified line that holds digits ends at the margin, LibreOffice drops its closing
punctuation ("万元，", "一体、"), at 98 % and 97 % alike. A line of Chinese text is full
at 28 characters either way."""
FIRST_LINE_INDENT = Twips(627)
"""Two body characters (2 × 15.68 pt), for applications that read the twips; Word and WPS
read w:firstLineChars="200"."""
# The page-number dashes (一字线) sit 7 mm below the type area: measured from the paper's
# bottom edge to the bottom of the 14 pt footer line, that is a footer distance of 25.5 mm.
FOOTER_DISTANCE = Mm(25.5)
HEADER_DISTANCE = Mm(15)

# --- fonts and sizes --------------------------------------------------------------
LATIN_FONT = "Times New Roman"
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_1_FONT = "黑体"
HEADING_2_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"
ATTACHMENT_FONT = "黑体"
FONT_TABLE = (
    # name, alternative name, family, PANOSE, charset (86: GB2312, 00: ANSI)
    (LATIN_FONT, "", "roman", "02020603050405020304", "00"),
    (TITLE_FONT, "FZXiaoBiaoSong-B05S", "script", "02000000000000000000", "86"),
    (BODY_FONT, "FangSong_GB2312", "modern", "02010609030101010101", "86"),
    (HEADING_1_FONT, "SimHei", "modern", "02010609060101010101", "86"),
    (HEADING_2_FONT, "KaiTi_GB2312", "modern", "02010609030101010101", "86"),
    (PAGE_NUMBER_FONT, "SimSun", "auto", "02010600030101010101", "86"),
)
"""The fonts the documents name, as Word describes them in fontTable.xml: where a
font is missing, Word substitutes the installed font of the nearest class."""
SIZE_2 = Pt(22)  # 二号
SIZE_3 = Pt(16)  # 三号
SIZE_4 = Pt(14)  # 四号
TABLE_SIZE = Pt(10.5)  # 五号: table text of the monitoring report, so that amounts fit

# Child order of w:pPr in the schema, for inserting elements python-docx has no API for.
_PPR_ORDER = (
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr",
    "w:widowControl", "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs",
    "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct",
    "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
    "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap",
    "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl",
    "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip

# Child order of w:rPr in the schema.
_RPR_ORDER = (
    "w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps",
    "w:strike", "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof",
    "w:snapToGrid", "w:vanish", "w:webHidden", "w:color", "w:spacing", "w:w", "w:kern",
    "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd",
    "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout",
    "w:specVanish", "w:oMath",
)  # fmt: skip


# --- page geometry ----------------------------------------------------------------


def line_pitch() -> Twips:
    """Distance between grid lines: the type-area height shared by 22 lines (579 twips)."""
    text_height = PAGE_HEIGHT.twips - MARGIN_TOP.twips - MARGIN_BOTTOM.twips
    return Twips(text_height // LINES_PER_PAGE)


# --- low-level XML helpers --------------------------------------------------------


def _set_child(parent, order: tuple[str, ...], tag: str, **attributes: str) -> None:
    """Set (replacing) a child element of w:pPr or w:rPr, keeping the schema's order."""
    existing = parent.find(qn(tag))
    if existing is not None:
        parent.remove(existing)
    element = OxmlElement(tag, {qn(f"w:{k}"): v for k, v in attributes.items()})
    parent.insert_element_before(element, *order[order.index(tag) + 1 :])


def _set_pPr_child(pPr, tag: str, **attributes: str) -> None:
    _set_child(pPr, _PPR_ORDER, tag, **attributes)


def _set_fonts(rPr, east_asia: str, latin: str = LATIN_FONT) -> None:
    """Name the East Asian and Latin fonts explicitly, dropping any theme-font references."""
    rFonts = rPr.get_or_add_rFonts()
    for theme_attribute in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        rFonts.attrib.pop(qn(f"w:{theme_attribute}"), None)
    rFonts.set(qn("w:ascii"), latin)
    rFonts.set(qn("w:hAnsi"), latin)
    rFonts.set(qn("w:cs"), latin)
    rFonts.set(qn("w:eastAsia"), east_asia)


def _first_line_indent_two_chars(style: ParagraphStyle) -> None:
    """Indent the first line by two characters (w:firstLineChars="200"), and by
    :data:`FIRST_LINE_INDENT` for applications that read the twips."""
    style.paragraph_format.first_line_indent = FIRST_LINE_INDENT
    ind = style.element.get_or_add_pPr().find(qn("w:ind"))
    ind.set(qn("w:firstLineChars"), "200")


def _no_grid(style: ParagraphStyle) -> None:
    """Lay the style's text out by its own metrics rather than snapping it to the grid."""
    _set_pPr_child(style.element.get_or_add_pPr(), "w:snapToGrid", val="0")


def _outline_level(style: ParagraphStyle, level: int) -> None:
    """Show the style in Word's navigation pane / outline at the given level (0-based)."""
    _set_pPr_child(style.element.get_or_add_pPr(), "w:outlineLvl", val=str(level))


def _exact_lines(style: ParagraphStyle) -> None:
    fmt = style.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = line_pitch()
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)


def _show_in_gallery(style: BaseStyle, priority: int) -> None:
    style.hidden = False
    style.quick_style = True
    style.unhide_when_used = False
    style.priority = priority


# --- document-wide settings -------------------------------------------------------


def _document_defaults(document) -> None:
    """Body font, size and language as the document defaults (docDefaults)."""
    styles = document.styles.element
    doc_defaults = styles.find(qn("w:docDefaults"))
    rPr = doc_defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(rPr, BODY_FONT)
    for tag in ("w:sz", "w:szCs"):
        rPr.find(qn(tag)).set(qn("w:val"), str(int(SIZE_3.pt * 2)))
    lang = rPr.find(qn("w:lang"))
    lang.set(qn("w:eastAsia"), "zh-CN")
    spacing = doc_defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), str(line_pitch().twips))
    spacing.set(qn("w:lineRule"), "exact")

    settings = document.settings.element
    theme_lang = settings.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:eastAsia"), "zh-CN")

    normal = document.styles["Normal"]
    _set_fonts(normal.element.get_or_add_rPr(), BODY_FONT)
    normal.font.size = SIZE_3
    _exact_lines(normal)
    normal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    # No widow/orphan control: pages fill all 22 lines (headings still keep with next).
    normal.paragraph_format.widow_control = False

    document.core_properties.author = ""
    document.core_properties.last_modified_by = ""
    document.core_properties.title = "{{ title }}"
    document.core_properties.comments = ""


def _page_setup(document) -> None:
    section = document.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width = PAGE_WIDTH
    section.page_height = PAGE_HEIGHT
    section.top_margin = MARGIN_TOP
    section.bottom_margin = MARGIN_BOTTOM
    section.left_margin = MARGIN_LEFT
    section.right_margin = MARGIN_RIGHT
    section.header_distance = HEADER_DISTANCE
    section.footer_distance = FOOTER_DISTANCE
    section.gutter = Mm(0)

    sectPr = section._sectPr
    grid = sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sectPr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(line_pitch().twips))
    grid.attrib.pop(qn("w:charSpace"), None)


# --- styles -----------------------------------------------------------------------


def _paragraph_style(document, name: str, style_id: str, base: str, priority: int):
    style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.style_id = style_id
    style.base_style = document.styles[base]
    _show_in_gallery(style, priority)
    return style


def _character_style(document, name: str, style_id: str, priority: int) -> CharacterStyle:
    style = document.styles.add_style(name, WD_STYLE_TYPE.CHARACTER)
    style.style_id = style_id
    _show_in_gallery(style, priority)
    return style


def _add_styles(document) -> None:
    body = _paragraph_style(document, "公文正文", "GongwenBody", "Normal", 1)
    _set_fonts(body.element.get_or_add_rPr(), BODY_FONT)
    body.font.size = SIZE_3
    _exact_lines(body)
    body.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT  # see GLYPH_SCALE
    _first_line_indent_two_chars(body)
    _set_child(body.element.get_or_add_rPr(), _RPR_ORDER, "w:w", val=str(GLYPH_SCALE))
    body.next_paragraph_style = body

    title = _paragraph_style(document, "公文标题", "GongwenTitle", "Normal", 2)
    _set_fonts(title.element.get_or_add_rPr(), TITLE_FONT)
    title.font.size = SIZE_2
    title.font.bold = False
    _exact_lines(title)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = line_pitch()  # 标题下空一行
    _no_grid(title)
    title.next_paragraph_style = body

    heading_1 = _paragraph_style(document, "一级标题", "GongwenHeading1", "公文正文", 3)
    _set_fonts(heading_1.element.get_or_add_rPr(), HEADING_1_FONT)
    heading_1.font.bold = False
    heading_1.paragraph_format.keep_with_next = True
    _outline_level(heading_1, 0)
    heading_1.next_paragraph_style = body

    heading_2 = _paragraph_style(document, "二级标题", "GongwenHeading2", "公文正文", 4)
    _set_fonts(heading_2.element.get_or_add_rPr(), HEADING_2_FONT)
    heading_2.font.bold = False
    heading_2.paragraph_format.keep_with_next = True
    _outline_level(heading_2, 1)
    heading_2.next_paragraph_style = body

    attachment = _paragraph_style(document, "附件标识", "GongwenAttachment", "Normal", 5)
    _set_fonts(attachment.element.get_or_add_rPr(), ATTACHMENT_FONT)
    attachment.font.size = SIZE_3
    _set_child(attachment.element.get_or_add_rPr(), _RPR_ORDER, "w:w", val=str(GLYPH_SCALE))
    _exact_lines(attachment)
    attachment.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    attachment.paragraph_format.space_after = line_pitch()  # 附件标题在版心第三行
    attachment.next_paragraph_style = title

    # Run-level styles for the heading that opens a paragraph, e.g. “1.构建……。” and
    # “（一）绩效管理意识有待加强。”: third-level headings are bold 仿宋, second-level 楷体.
    run_heading_3 = _character_style(document, "三级标题字符", "GongwenRunHeading3", 6)
    run_heading_3.font.bold = True
    run_heading_2 = _character_style(document, "二级标题字符", "GongwenRunHeading2", 7)
    _set_fonts(run_heading_2.element.get_or_add_rPr(), HEADING_2_FONT)

    page_number = _paragraph_style(document, "页码", "GongwenPageNumber", "Normal", 8)
    _set_fonts(page_number.element.get_or_add_rPr(), PAGE_NUMBER_FONT, PAGE_NUMBER_FONT)
    page_number.font.size = SIZE_4
    fmt = page_number.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = SIZE_4
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    _no_grid(page_number)


# --- footer -----------------------------------------------------------------------


def _page_field(paragraph: Paragraph) -> None:
    """Append a PAGE field (fldChar begin / instrText / separate / result / end)."""

    def field_run(*children) -> None:
        run = paragraph.add_run()
        for child in children:
            run._r.append(child)

    field_run(OxmlElement("w:fldChar", {qn("w:fldCharType"): "begin"}))
    instruction = OxmlElement("w:instrText", {qn("xml:space"): "preserve"})
    instruction.text = " PAGE "
    field_run(instruction)
    field_run(OxmlElement("w:fldChar", {qn("w:fldCharType"): "separate"}))
    paragraph.add_run("1")
    field_run(OxmlElement("w:fldChar", {qn("w:fldCharType"): "end"}))


def _page_number_paragraph(paragraph: Paragraph, odd: bool) -> None:
    paragraph.style = "页码"
    fmt = paragraph.paragraph_format
    if odd:  # 单页码居右空一字
        fmt.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        fmt.right_indent = SIZE_4
    else:  # 双页码居左空一字
        fmt.alignment = WD_ALIGN_PARAGRAPH.LEFT
        fmt.left_indent = SIZE_4
    paragraph.add_run("— ")
    _page_field(paragraph)
    paragraph.add_run(" —")


def _page_numbers(document) -> None:
    document.settings.odd_and_even_pages_header_footer = True
    section = document.sections[0]
    section.footer.is_linked_to_previous = False
    section.even_page_footer.is_linked_to_previous = False
    _page_number_paragraph(section.footer.paragraphs[0], odd=True)
    _page_number_paragraph(section.even_page_footer.paragraphs[0], odd=False)


# --- body -------------------------------------------------------------------------


class _Body:
    """Writes the template's paragraphs: text, Jinja paragraph tags and styled runs."""

    def __init__(self, document) -> None:
        self.document = document

    def paragraph(self, text: str = "", style: str = "公文正文") -> Paragraph:
        return self.document.add_paragraph(text, style=style)

    def tag(self, statement: str) -> None:
        """A docxtpl paragraph tag ``{%p … %}``: the whole paragraph is replaced by it."""
        self.document.add_paragraph(f"{{%p {statement} %}}", style="公文正文")

    def heading_1(self, text: str) -> None:
        self.paragraph(text, "一级标题")

    def heading_2(self, text: str) -> None:
        self.paragraph(text, "二级标题")

    def optional_text(self, variable: str) -> None:
        """One body paragraph, left out (not printed blank) when the text is empty."""
        self.tag(f"if {variable}")
        self.paragraph(f"{{{{ {variable} }}}}")
        self.tag("endif")

    def each_text(self, variable: str, loop_name: str) -> None:
        self.tag(f"for {loop_name} in {variable}")
        self.paragraph(f"{{{{ {loop_name} }}}}")
        self.tag("endfor")

    def each_section(self, variable: str) -> None:
        """The outline's own sections (绩效自评工作情况, 结果应用): heading, paragraphs."""
        self.tag(f"for section in {variable}")
        self.heading_1("{{ section.heading }}")
        self.each_text("section.paragraphs", "paragraph")
        self.tag("endfor")

    def each_item(self, variable: str, heading_style: str) -> None:
        """One paragraph per item: the heading run in a character style, then the text."""
        self.tag(f"for item in {variable}")
        paragraph = self.paragraph()
        paragraph.add_run("{{ item.heading }}", style=heading_style)
        paragraph.add_run("{{ item.text }}")
        self.tag("endfor")


def _write_body(document) -> None:
    body = _Body(document)
    body.tag("if attachment_label")
    body.paragraph("{{ attachment_label }}", "附件标识")
    body.tag("endif")
    body.paragraph("{{ title }}", "公文标题")

    body.heading_1("{{ headings.basics }}")
    body.heading_2("{{ headings.functions }}")
    body.optional_text("functions_preamble")
    body.each_text("functions", "function")
    body.heading_2("{{ headings.budget }}")
    body.each_text("budget_paragraphs", "paragraph")
    body.heading_2("{{ headings.annual_objective }}")
    body.optional_text("annual_objective")
    body.heading_2("{{ headings.key_tasks }}")
    body.optional_text("key_tasks")

    body.each_section("sections_after_basics")
    body.heading_1("{{ headings.analysis }}")
    body.heading_2("{{ headings.conclusion }}")
    body.optional_text("conclusion")
    body.optional_text("evaluation_conclusion")
    body.heading_2("{{ headings.key_task_analysis }}")
    body.optional_text("key_task_analysis")
    body.each_text("office_paragraphs", "paragraph")
    body.heading_2("{{ headings.achievements }}")
    body.each_item("achievements", "三级标题字符")
    _cost_analysis(body)

    body.heading_1("{{ headings.problems }}")
    body.each_item("problems", "二级标题字符")

    body.heading_1("{{ headings.improvement_measures }}")
    body.each_text("improvement_measures", "measure")
    body.each_section("extra_sections")
    # Consistency findings are addressed to the preparer (审核意见), never printed here.


COST_WIDTHS = (22, 22, 18, 20, 18, 18, 16, 22)  # mm, the 156 mm type area
_COST_CELLS = (
    "project", "output", "cost", "quantity", "unit_cost", "standard", "difference", "conclusion",
)  # fmt: skip


def _cost_analysis(body: _Body) -> None:
    """成本效益分析 (only when the year has outputs costed against a standard): its
    paragraphs, then the table of unit costs (``core.cost_analysis``)."""
    body.tag("if cost_analysis")
    body.heading_2("{{ cost_heading }}")
    body.each_text("cost_analysis.paragraphs", "paragraph")
    table = _form_table(body.document, COST_WIDTHS, 4)
    for column, header in enumerate(COST_TABLE_HEADERS):
        _put(table, 0, column, header, "自评表头")
    repeat_header(table.rows[0])
    _loop_rows(table, 1, "row in cost_analysis.rows", [
        (f"{{{{ row.{name} }}}}", "自评表格文字" if name in ("project", "output") else "自评表格")
        for name in _COST_CELLS
    ])  # fmt: skip
    body.tag("endif")


def _part(document, name: str):
    for part in document.part.package.iter_parts():
        if part.partname == name:
            return part
    raise KeyError(name)


def _font_table(document) -> None:
    """Replace the default template's font table with the fonts the documents name."""
    fonts = etree.Element(qn("w:fonts"), nsmap={"w": nsmap["w"]})
    for name, alternative, family, panose, charset in FONT_TABLE:
        font = etree.SubElement(fonts, qn("w:font"), {qn("w:name"): name})
        if alternative:
            etree.SubElement(font, qn("w:altName"), {qn("w:val"): alternative})
        etree.SubElement(font, qn("w:panose1"), {qn("w:val"): panose})
        etree.SubElement(font, qn("w:charset"), {qn("w:val"): charset})
        etree.SubElement(font, qn("w:family"), {qn("w:val"): family})
        etree.SubElement(font, qn("w:pitch"), {qn("w:val"): "variable"})
    _part(document, "/word/fontTable.xml")._blob = etree.tostring(
        fonts, xml_declaration=True, encoding="UTF-8", standalone=True
    )


APP_PROPERTIES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    'extended-properties"><Application>jixiao</Application><DocSecurity>0</DocSecurity>'
    "<ScaleCrop>false</ScaleCrop><Company></Company><LinksUpToDate>false</LinksUpToDate>"
    "<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged></Properties>"
)
"""docProps/app.xml naming jixiao as the application, not the default template's
Microsoft Macintosh Word 2013 (:func:`jixiao.documents.docx_layout.set_properties`
fills in the company)."""


def official_document(*, tables: bool = False):
    """A new document with the GB/T 9704 page, the named styles and the page numbers;
    with ``tables``, also the monitoring report's table styles (公文表格, 公文表头, 表格单位).

    The document is built once per process and kept as its saved package; each call
    opens a copy of it (a batch writes a 审核意见 for every document it writes)."""
    return Document(io.BytesIO(_official_package(tables)))


@cache
def _official_package(tables: bool) -> bytes:
    buffer = io.BytesIO()
    _new_official_document(tables).save(buffer)
    return buffer.getvalue()


def _new_official_document(tables: bool):
    document = Document()
    _font_table(document)
    _part(document, "/docProps/app.xml")._blob = APP_PROPERTIES.encode("utf-8")
    package_rels = document.part.package.rels
    for rel_id, rel in list(package_rels.items()):
        if rel.reltype.endswith("/thumbnail"):  # the default template's first page
            package_rels.pop(rel_id)
    _document_defaults(document)
    _page_setup(document)
    _add_styles(document)
    if tables:
        _add_monitoring_styles(document)
    _page_numbers(document)
    return document


def _save(document, path: Path) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))


def build_template(path: Path) -> None:
    """Write the docxtpl Word template of the self-evaluation report to ``path``."""
    document = official_document()
    _add_form_styles(document)  # before the body: the 成本效益分析 table uses them
    _write_body(document)
    _write_forms(document)
    _save(document, path)


# --- the self-evaluation forms (附表) ----------------------------------------------------
# The 部门整体支出绩效自评表 and each 项目支出绩效自评表, appended after the report, each
# on a new page; variables from jixiao.documents.evaluation_forms.forms_context. The
# 一级/二级指标 cells are merged down their groups after rendering (report.py).

FORM_SIZE = Pt(10.5)  # 五号: the text of the self-evaluation forms
FORM_TITLE_SIZE = Pt(18)  # 小二
PROJECT_FUNDS_WIDTHS = (30, 21, 21, 21, 16, 19, 28)
FORM_CHARACTER_MM = FORM_SIZE.mm
"""One Chinese character of the forms' text (五号), 3.7 mm."""


def chars_wide(characters: float, size_mm: float = FORM_CHARACTER_MM) -> float:
    """Width (mm) of a table column that holds ``characters`` Chinese characters a line:
    the characters, the 1 mm cell margin each side, and 0.3 mm to spare against rounding."""
    return round(characters * size_mm + 2 * FORM_CELL_MARGIN.mm + 0.3, 1)


# The 项目支出绩效自评表's indicators, by what each column holds: 一级/二级/三级指标 names
# of up to 5, 9 and 14 characters on two or three lines, a 年度指标值 (“≥50000宗”) on one,
# 分值 and 得分 “100.00”. 实际完成值 is as often a sentence (“实现跨境抵押登记‘零出关’…”)
# as a figure, and 偏差原因分析及改进措施 is empty in most rows and a paragraph in a few:
# the two share what the others leave, seven characters a line each.
_INDICATOR_FIXED = (
    chars_wide(2), chars_wide(4), chars_wide(6), chars_wide(5), chars_wide(7), 13.5, 13.5,
)  # fmt: skip
PROJECT_INDICATOR_WIDTHS = (
    *_INDICATOR_FIXED, round(TYPE_AREA_WIDTH - sum(_INDICATOR_FIXED), 1),
)  # fmt: skip
# The 部门整体支出绩效自评表's indicators: 一级/二级指标 names of up to 4 and 6 characters on
# two or three lines, 三级指标 of up to 13 on four. A 指标值/计算公式 runs to 30 characters'
# width (“(三公经费预算数−上年三公经费预算数)÷上年三公经费预算数；≤0%”, brackets
# half): seven and a half a line hold the header on one line and the formula on five at
# most. 实际值 holds “55.06亿元” on one line; 分值 and 得分 “100.00”. 说明 is “—” or empty in
# half the rows and a calculation of up to 52 characters' width in the others: it takes
# the rest, eleven characters a line, five or six lines.
_DEPARTMENT_FIXED = (
    chars_wide(2), chars_wide(2), chars_wide(4), chars_wide(7.5), chars_wide(4.5), 13.5, 13.5,
)  # fmt: skip
DEPARTMENT_WIDTHS = (
    *_DEPARTMENT_FIXED, round(TYPE_AREA_WIDTH - sum(_DEPARTMENT_FIXED), 1),
)  # fmt: skip
_INDICATOR_CELLS = (
    "level1", "level2", "level3", "target", "actual", "weight", "score", "remark",
)  # fmt: skip


def _add_form_styles(document) -> None:
    """Styles of the appended forms: 自评表格 (centred), 自评表格文字 (left), 自评表头,
    附表标识 (starts a page), 自评表标题 and 自评表年度."""
    text = _paragraph_style(document, "自评表格", "GongwenFormText", "Normal", 20)
    _set_fonts(text.element.get_or_add_rPr(), BODY_FONT)
    text.font.size = FORM_SIZE
    fmt = text.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _no_grid(text)

    left = _paragraph_style(document, "自评表格文字", "GongwenFormTextLeft", "自评表格", 21)
    left.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT

    heading = _paragraph_style(document, "自评表头", "GongwenFormHeading", "自评表格", 22)
    _set_fonts(heading.element.get_or_add_rPr(), HEADING_1_FONT)

    label = _paragraph_style(document, "附表标识", "GongwenFormLabel", "附件标识", 23)
    label.paragraph_format.page_break_before = True
    label.paragraph_format.space_after = Pt(0)
    label.paragraph_format.keep_with_next = True

    title = _paragraph_style(document, "自评表标题", "GongwenFormTitle", "公文标题", 24)
    title.font.size = FORM_TITLE_SIZE
    title.paragraph_format.space_after = Pt(0)
    title.paragraph_format.keep_with_next = True
    label.next_paragraph_style = title

    year = _paragraph_style(document, "自评表年度", "GongwenFormYear", "自评表格", 25)
    _set_fonts(year.element.get_or_add_rPr(), HEADING_2_FONT)
    year.font.size = SIZE_4
    year.paragraph_format.space_after = Pt(6)
    year.paragraph_format.keep_with_next = True


def _form_table(document, widths: Sequence[float], rows: int):
    table = fixed_width_table(document, rows, widths)
    for row in table.rows:
        for cell in row.cells:
            cell.paragraphs[0].style = document.styles["自评表格"]
    for row in table.rows:  # a row is not split across pages
        keep_whole(row)
    return table


def _put(table, row: int, column: int, text: str, style: str = "自评表格",
         span: int = 1, rows: int = 1) -> None:  # fmt: skip
    cell = table.cell(row, column)
    if span > 1 or rows > 1:
        cell = cell.merge(table.cell(row + rows - 1, column + span - 1))
    paragraph = cell.paragraphs[0]
    paragraph.text = text
    paragraph.style = table.part.document.styles[style]


def _loop_rows(table, first: int, loop: str, cells: Sequence[tuple[str, str]]) -> None:
    """Rows ``first`` … ``first + 2``: {%tr for %}, the repeated row, {%tr endfor %}."""
    _put(table, first, 0, f"{{%tr for {loop} %}}")
    for column, (expression, style) in enumerate(cells):
        _put(table, first + 1, column, expression, style)
    _put(table, first + 2, 0, "{%tr endfor %}")


def _form_heading(body: _Body, form: str) -> None:
    body.paragraph(f"{{{{ {form}.label }}}}", "附表标识")
    body.paragraph(f"{{{{ {form}.title }}}}", "自评表标题")
    body.paragraph(f"{{{{ {form}.year_label }}}}", "自评表年度")


def _indicator_block(table, first: int, form: str, headers: Sequence[str]) -> None:
    """Header, indicator row loop, 总分, 评价等级 and the notes loop (9 rows from ``first``)."""
    for column, header in enumerate(headers):
        _put(table, first, column, header, "自评表头")
    repeat_header(table.rows[first])
    _loop_rows(table, first + 1, f"row in {form}.indicators", [
        (f"{{{{ row.{name} }}}}", "自评表格文字" if name == "remark" else "自评表格")
        for name in _INDICATOR_CELLS
    ])
    _put(table, first + 4, 0, "总分", "自评表头", span=5)
    _put(table, first + 4, 5, f"{{{{ {form}.weight_total }}}}")
    _put(table, first + 4, 6, f"{{{{ {form}.total }}}}")
    _put(table, first + 5, 0, "评价等级", "自评表头", span=5)
    _put(table, first + 5, 5, f"{{{{ {form}.grade }}}}", span=3)
    _put(table, first + 6, 0, f"{{%tr for note in {form}.notes %}}", span=8)
    _put(table, first + 7, 0, "说明：{{ note }}", "自评表格文字", span=8)
    _put(table, first + 8, 0, "{%tr endfor %}", span=8)


def _write_forms(document) -> None:
    body = _Body(document)
    body.tag("if department_form")
    _form_heading(body, "department_form")
    table = _form_table(document, DEPARTMENT_WIDTHS, 10)  # 部门名称 + the indicator block
    _put(table, 0, 0, "部门名称", "自评表头", span=2)
    _put(table, 0, 2, "{{ department_form.department }}", "自评表格文字", span=6)
    repeat_header(table.rows[0])  # header rows repeat only from the top row down
    _indicator_block(table, 1, "department_form", DEPARTMENT_HEADERS)
    body.paragraph("", "自评表格")  # a document and a table cell end with a paragraph
    body.tag("endif")

    body.tag("for form in project_forms")
    _form_heading(body, "form")
    funds = _form_table(document, PROJECT_FUNDS_WIDTHS, 8)
    _put(funds, 0, 0, "项目名称", "自评表头")
    _put(funds, 0, 1, "{{ form.project_name }}", "自评表格文字", span=6)
    _put(funds, 1, 0, "主管部门", "自评表头")
    _put(funds, 1, 1, "{{ form.department }}", "自评表格文字", span=3)
    _put(funds, 1, 4, "实施单位", "自评表头")
    _put(funds, 1, 5, "{{ form.unit }}", "自评表格文字", span=2)
    for column, header in enumerate(FUNDS_HEADERS):
        _put(funds, 2, column, header, "自评表头")
    _loop_rows(funds, 3, "line in form.funds", [
        (f"{{{{ line.{name} }}}}", "自评表格") for name in (
            "label", "initial_budget", "final_budget", "executed", "weight", "rate", "score",
        )
    ])  # fmt: skip
    _put(funds, 6, 0, "年度总体目标", "自评表头", rows=2)
    _put(funds, 6, 1, "预期目标", "自评表头", span=3)
    _put(funds, 6, 4, "实际完成情况", "自评表头", span=3)
    _put(funds, 7, 1, "{{ form.expected_objective }}", "自评表格文字", span=3)
    _put(funds, 7, 4, "{{ form.actual_objective }}", "自评表格文字", span=3)
    indicators = _form_table(document, PROJECT_INDICATOR_WIDTHS, 9)
    _indicator_block(indicators, 0, "form", PROJECT_INDICATOR_HEADERS)
    body.paragraph("", "自评表格")
    body.tag("endfor")


# --- the monitoring report ------------------------------------------------------------


def _add_monitoring_styles(document) -> None:
    """Styles the monitoring report adds: table text, table headings, figures, captions."""
    table = _paragraph_style(document, "公文表格", "GongwenTable", "Normal", 9)
    _set_fonts(table.element.get_or_add_rPr(), BODY_FONT)
    table.font.size = TABLE_SIZE
    fmt = table.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _no_grid(table)

    table_heading = _paragraph_style(document, "公文表头", "GongwenTableHeading", "公文表格", 10)
    _set_fonts(table_heading.element.get_or_add_rPr(), HEADING_1_FONT)
    table_heading.font.bold = False

    unit = _paragraph_style(document, "表格单位", "GongwenTableUnit", "公文表格", 11)
    unit.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    unit.paragraph_format.keep_with_next = True

    figure = _paragraph_style(document, "公文图片", "GongwenFigure", "Normal", 12)
    fmt = figure.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE  # an exact line height would clip the image
    fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt.keep_with_next = True
    _no_grid(figure)

    caption = _paragraph_style(document, "图表标题", "GongwenCaption", "公文正文", 13)
    _set_fonts(caption.element.get_or_add_rPr(), HEADING_2_FONT)
    caption.font.size = SIZE_4
    caption.paragraph_format.first_line_indent = Pt(0)
    caption.element.get_or_add_pPr().find(qn("w:ind")).set(qn("w:firstLineChars"), "0")
    caption.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _loop_table(document, loop: str, columns: Sequence[tuple[str, str, float]]) -> None:
    """A table with a header row and one docxtpl row loop (``{%tr for … %}``).

    ``columns`` are (header, cell expression, width in mm); the widths add up to the
    156 mm type area.
    """
    document.add_paragraph("单位：万元", style="表格单位")
    table = fixed_width_table(document, 4, [width for _, _, width in columns])
    for index, (header, expression, _) in enumerate(columns):
        cells = [table.rows[r].cells[index] for r in range(4)]
        cells[0].paragraphs[0].text = header
        cells[0].paragraphs[0].style = document.styles["公文表头"]
        cells[2].paragraphs[0].text = expression
        cells[2].paragraphs[0].style = document.styles["公文表格"]
        for row in (1, 3):
            cells[row].paragraphs[0].style = document.styles["公文表格"]
    table.rows[1].cells[0].paragraphs[0].text = f"{{%tr for row in {loop} %}}"
    table.rows[3].cells[0].paragraphs[0].text = "{%tr endfor %}"
    repeat_header(table.rows[0])
    for row in table.rows:  # the rendered rows copy the loop row's w:cantSplit
        keep_whole(row)


NAME_WIDTH = chars_wide(12, TABLE_SIZE.mm)
"""The 项目名称 column of the monitoring tables: most names run to 8–12 characters."""


def _chart(body: _Body, variable: str, caption: str) -> None:
    """An image (docxtpl InlineImage) and its caption, or the no-font note in its place."""
    body.tag(f"if {variable}")
    body.paragraph(f"{{{{ {variable} }}}}", "公文图片")
    body.paragraph(caption, "图表标题")
    body.tag("else")
    body.paragraph("{{ chart_note }}")
    body.tag("endif")


def _write_monitoring_body(document) -> None:
    body = _Body(document)
    body.paragraph("{{ title }}", "公文标题")

    body.heading_1("一、总体执行情况")
    body.each_text("overall", "paragraph")
    _chart(body, "execution_chart", "图1 累计执行进度与序时进度")

    body.heading_1("二、按资金来源")
    body.each_text("sources", "paragraph")

    body.heading_1("三、项目执行与预警")
    body.each_text("project_paragraphs", "paragraph")
    # A 项目名称 of 12 characters on one line; amounts (“73,761.83”) and rates
    # (“101.92%”) on one line even in DejaVu Serif (0.64 em digits).
    _loop_table(document, "project_rows", (
        ("项目名称", "{{ row.name }}", NAME_WIDTH),
        ("全年预算数", "{{ row.final_budget }}", 26),
        ("{{ period }}执行数", "{{ row.executed }}", 26),
        ("执行率", "{{ row.execution_rate }}", 21.6),
        ("执行进度比", "{{ row.progress_ratio }}", 21.6),
        ("预警", "{{ row.light }}", 14),
    ))  # fmt: skip
    body.each_text("project_notes", "note")
    _chart(body, "lights_chart", "图2 各项目执行进度比与预警")

    body.heading_1("四、全年执行预测")
    body.each_text("forecast_paragraphs", "paragraph")
    # The name as above; amounts in the widths of Times New Roman (pdf.LATIN_SERIF), a
    # 预测区间 under 1,000 万元 (“147.02～171.94”) on one line, a larger one on two.
    _loop_table(document, "forecast_rows", (
        ("项目名称", "{{ row.name }}", NAME_WIDTH),
        ("全年预算数", "{{ row.final_budget }}", 21),
        ("全年预计执行数", "{{ row.projected }}", 19.5),
        ("预测区间", "{{ row.range }}", 26.5),
        ("预计结余", "{{ row.unspent }}", 21),
        ("预计执行率", "{{ row.projected_rate }}", 21.2),
    ))  # fmt: skip
    body.each_text("forecast_notes", "note")

    body.heading_1("五、调整建议")
    body.each_text("proposals", "paragraph")

    body.heading_1("六、绩效指标完成情况")
    body.each_text("indicators", "paragraph")

    body.heading_1("七、预算安排建议")
    body.each_text("consequences", "paragraph")
    # Findings for the preparer (missing inputs …) go to the 审核意见, not into the report.


def build_monitoring_template(path: Path) -> None:
    """Write the docxtpl Word template of the monitoring report to ``path``.

    Same page, styles and page numbers as the self-evaluation report, plus table,
    figure and caption styles; the variable names are those of
    :func:`jixiao.documents.monitoring_report.monitoring_context`.
    """
    document = official_document(tables=True)
    _write_monitoring_body(document)
    _save(document, path)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    monitoring = "--monitoring" in args
    args = [arg for arg in args if arg != "--monitoring"]
    if len(args) > 1 or (args and args[0] in ("-h", "--help")):
        print(
            "用法: python -m jixiao.documents.template_builder [--monitoring] [OUT.docx]",
            file=sys.stderr,
        )
        print(f"（不给出 OUT.docx 时写入 {PACKAGED_TEMPLATE}", file=sys.stderr)
        print(f"  或加 --monitoring 时写入 {MONITORING_TEMPLATE}）", file=sys.stderr)
        return 2
    if monitoring:
        out = Path(args[0]) if args else MONITORING_TEMPLATE
        build_monitoring_template(out)
    else:
        out = Path(args[0]) if args else PACKAGED_TEMPLATE
        build_template(out)
    print(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
