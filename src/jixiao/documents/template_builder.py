"""Build the Word template of the self-evaluation report (``self-evaluation.docx``).

The template is a docxtpl (Jinja) document laid out as an official document per
GB/T 9704-2012《党政机关公文格式》:

* A4 paper; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm, which leaves a
  156 mm × 225 mm type area holding 22 lines (a Word line grid, 28.95 pt apart) of 28
  characters (body text condensed by 0.25 pt, see :func:`character_spacing`);
* title in 2号 (22 pt) 方正小标宋简体, centred, followed by one blank line;
* body in 3号 (16 pt) 仿宋_GB2312, first line indented two characters, lines exactly
  28.95 pt apart; first-level headings (一、) in 黑体, second-level headings (（一）) in
  楷体_GB2312;
* page numbers “— N —” in 4号 (14 pt) 宋体 below the type area, odd pages right and even
  pages left, one character in from the edge of the type area.

Every piece of formatting lives in a named style (公文标题, 公文正文, 一级标题, …) so that a
user can restyle the template in Word without touching the Jinja tags.  The variable
names in the tags are the field names of :class:`jixiao.core.narrative.ReportContent`.

Regenerate the packaged template with::

    python -m jixiao.documents.template_builder src/jixiao/documents/templates/self-evaluation.docx
"""

from __future__ import annotations

import math
import sys
from collections.abc import Sequence
from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, Twips
from docx.styles.style import BaseStyle, CharacterStyle, ParagraphStyle
from docx.text.paragraph import Paragraph

PACKAGED_TEMPLATE = Path(__file__).parent / "templates" / "self-evaluation.docx"

# --- GB/T 9704-2012 page geometry -------------------------------------------------
PAGE_WIDTH = Mm(210)
PAGE_HEIGHT = Mm(297)
MARGIN_TOP = Mm(37)
MARGIN_BOTTOM = Mm(35)
MARGIN_LEFT = Mm(28)
MARGIN_RIGHT = Mm(26)
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
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
SIZE_2 = Pt(22)  # 二号
SIZE_3 = Pt(16)  # 三号
SIZE_4 = Pt(14)  # 四号

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


def character_spacing() -> int:
    """Condensing of body characters, in twentieths of a point (w:spacing), for 28 a line.

    The 156 mm type area is 442.25 pt wide, so 28 characters of 3号 (16 pt) only fit
    when each advances at most 15.79 pt: body text is condensed by 0.25 pt (−5).

    This is done in the character formatting rather than with a character grid
    (w:docGrid w:type="linesAndChars" w:charSpace="-841"): Word and WPS honour such a
    grid, but LibreOffice (7.4) lays every character of a negative-charSpace grid out
    over two cells, doubling the length of the report when it is converted to PDF.
    """
    text_width = PAGE_WIDTH.twips - MARGIN_LEFT.twips - MARGIN_RIGHT.twips
    pitch_twentieths = text_width / CHARS_PER_LINE  # twips are twentieths of a point
    return math.floor(pitch_twentieths - SIZE_3.pt * 20)


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
    """Indent the first line by two characters (w:firstLineChars="200").

    w:firstLine (two 16 pt characters) is kept as well for applications that ignore the
    character-based value.
    """
    style.paragraph_format.first_line_indent = Pt(2 * SIZE_3.pt)
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
    grid.set(qn("w:type"), "lines")  # 22 lines; 28 characters: see character_spacing()
    grid.set(qn("w:linePitch"), str(line_pitch().twips))


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
    body.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    _first_line_indent_two_chars(body)
    _set_child(body.element.get_or_add_rPr(), _RPR_ORDER, "w:spacing", val=str(character_spacing()))
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
    _exact_lines(attachment)
    attachment.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    attachment.paragraph_format.space_after = line_pitch()  # 附件标题在版心第三行
    attachment.next_paragraph_style = title

    # Run-level styles for the heading that opens a paragraph, e.g. “1、构建……。” and
    # “（一）绩效管理意识有待加强。”: third-level headings stay 仿宋, second-level are 楷体.
    _character_style(document, "三级标题字符", "GongwenRunHeading3", 6)
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

    body.heading_1("一、基本情况")
    body.heading_2("（一）部门职能")
    body.optional_text("functions_preamble")
    body.each_text("functions", "function")
    body.heading_2("（二）部门整体收支情况")
    body.each_text("budget_paragraphs", "paragraph")
    body.heading_2("（三）部门整体支出绩效目标")
    body.optional_text("annual_objective")
    body.heading_2("（四）部门年度重点工作任务")
    body.optional_text("key_tasks")

    body.heading_1("二、综合评价分析")
    body.heading_2("（一）自评结论综述")
    body.optional_text("conclusion")
    body.heading_2("（二）各重点工作任务绩效目标完成情况分析")
    body.optional_text("key_task_analysis")
    body.heading_2("（三）主要工作成效")
    body.each_item("achievements", "三级标题字符")

    body.heading_1("三、存在的主要问题")
    body.each_item("problems", "二级标题字符")

    body.heading_1("四、下一步改进措施")
    body.each_text("improvement_measures", "measure")

    body.tag("if findings")
    body.heading_1("附：一致性检查结果")
    body.tag("for finding in findings")
    body.paragraph("【{{ finding.severity_label }}】{{ finding.message }}")
    body.tag("endfor")
    body.tag("endif")


def build_template(path: Path) -> None:
    """Write the docxtpl Word template of the self-evaluation report to ``path``."""
    document = Document()
    _document_defaults(document)
    _page_setup(document)
    _add_styles(document)
    _page_numbers(document)
    _write_body(document)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) > 1 or (args and args[0] in ("-h", "--help")):
        print("用法: python -m jixiao.documents.template_builder [OUT.docx]", file=sys.stderr)
        print(f"（不给出 OUT.docx 时写入 {PACKAGED_TEMPLATE}）", file=sys.stderr)
        return 2
    out = Path(args[0]) if args else PACKAGED_TEMPLATE
    build_template(out)
    print(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
