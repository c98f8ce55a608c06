"""The Word and Markdown renderings of the self-evaluation report."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Emu, Pt

from jixiao.core.narrative import Item, ReportContent
from jixiao.documents.report import TemplateError, render_docx, render_markdown
from jixiao.documents.template_builder import (
    MONITORING_TEMPLATE,
    PACKAGED_TEMPLATE,
    build_monitoring_template,
    build_template,
    main,
)
from tests.office import pdf_pages_and_size, require_tools, to_pdf

TITLE = "2023年度广州市规划和自然资源局示例区分局部门整体支出绩效自评报告"
PREAMBLE = "示例区分局贯彻落实党中央、省委关于规划和自然资源工作的方针政策和决策部署。主要职责是："
FUNCTIONS = (
    "1、履行全民所有土地、矿产、森林、湿地、水、海洋等自然资源资产所有者职责。",
    "2、负责自然资源调查监测评价，组织实施自然资源基础调查、专项调查和监测评价工作。",
)
BUDGET = (
    "2023年全年预算数103,118.19万元，执行数77,261.67万元，完成预算的74.93%。",
    "按资金来源分，一般公共预算财政拨款支出5,260.44万元，政府性基金预算财政拨款支出"
    "71,968.65万元。按支出性质看，基本支出3,734.82万元，项目支出73,526.84万元。"
    "年末结转和结余2,578.28万元。",
)
OBJECTIVE = "坚持以实体经济为本、制造业当家，较好完成了各项工作任务。"
KEY_TASKS = "优化完善规划管控，强化刚性约束作用；有序开展土地储备出让。"
KEY_TASK_ANALYSIS = (
    "持续推进土地储备出让、R&D<试点>项目和不动产登记等工作，较好地完成了各项工作任务。"
)
ACHIEVEMENTS = (
    Item(
        "1、构建美丽国土空间格局，助力推动高质量发展。",
        "科学编制区级国土空间总体规划，统筹划定三区三线，划定城镇开发边界面积57.62平方公里。",
    ),
    Item(
        "2、推进重点片区规划优化，营造经济发展载体空间。",
        "完成花地河沿岸地块控规调整，提升片区职住平衡水平。",
    ),
)
PROBLEMS = (Item("（一）部分项目支出进度偏低。", ""),)
MEASURES = ("一是落实绩效责任，完善绩效管理工作机制。",)
FINDING_MESSAGE = (
    "按资金来源分：一般公共预算财政拨款5,260.44万元＋政府性基金预算财政拨款71,968.65万元"
    "＝77,229.09万元，与执行数77,229.10万元相差0.01万元，可能为四舍五入尾差，请核实。"
)


def report(**changes: object) -> ReportContent:
    values: dict[str, object] = {
        "attachment_label": "附件2",
        "title": TITLE,
        "functions_preamble": PREAMBLE,
        "functions": FUNCTIONS,
        "budget_paragraphs": BUDGET,
        "annual_objective": OBJECTIVE,
        "key_tasks": KEY_TASKS,
        "conclusion": "",
        "key_task_analysis": KEY_TASK_ANALYSIS,
        "achievements": ACHIEVEMENTS,
        "problems": PROBLEMS,
        "improvement_measures": MEASURES,
    }
    values.update(changes)
    return ReportContent(**values)  # type: ignore[arg-type]


EXPECTED_PARAGRAPHS = [
    "附件2",
    TITLE,
    "一、基本情况",
    "（一）部门职能",
    PREAMBLE,
    *FUNCTIONS,
    "（二）部门整体收支情况",
    *BUDGET,
    "（三）部门整体支出绩效目标",
    OBJECTIVE,
    "（四）部门年度重点工作任务",
    KEY_TASKS,
    "二、综合评价分析",
    "（一）自评结论综述",
    "（二）各重点工作任务绩效目标完成情况分析",
    KEY_TASK_ANALYSIS,
    "（三）主要工作成效",
    *(item.heading + item.text for item in ACHIEVEMENTS),
    "三、存在的主要问题",
    "（一）部分项目支出进度偏低。",
    "四、下一步改进措施",
    *MEASURES,
]


@pytest.fixture
def rendered(tmp_path: Path) -> Path:
    return render_docx(report(), tmp_path / "report.docx")


def paragraph_texts(path: Path) -> list[str]:
    """Each paragraph's text; the title's line breaks left out."""
    return [paragraph.text.replace("\n", "") for paragraph in Document(str(path)).paragraphs]


def east_asian_font(style) -> str | None:
    return style.element.rPr.rFonts.get(qn("w:eastAsia"))


def font_size(style) -> Pt | None:
    """The size a paragraph style sets or inherits from its base styles."""
    while style is not None and style.font.size is None:
        style = style.base_style
    return None if style is None else style.font.size


def test_it_prints_every_paragraph_of_the_report_in_reading_order(rendered: Path) -> None:
    assert paragraph_texts(rendered) == EXPECTED_PARAGRAPHS


def test_it_keeps_an_empty_section_heading_but_prints_no_blank_body(rendered: Path) -> None:
    texts = paragraph_texts(rendered)
    heading = texts.index("（一）自评结论综述")
    assert texts[heading + 1] == "（二）各重点工作任务绩效目标完成情况分析"
    assert "" not in texts


def test_it_leaves_out_the_attachment_label_and_the_appendix_when_there_are_none(
    tmp_path: Path,
) -> None:
    path = render_docx(report(attachment_label=""), tmp_path / "plain.docx")
    texts = paragraph_texts(path)
    assert texts[0] == TITLE
    assert texts[-1] == MEASURES[-1]
    assert "附：一致性检查结果" not in texts


def test_it_puts_an_achievement_heading_and_its_text_in_one_paragraph(rendered: Path) -> None:
    document = Document(str(rendered))
    first = ACHIEVEMENTS[0]
    (paragraph,) = [p for p in document.paragraphs if p.text.startswith(first.heading)]
    assert paragraph.text == first.heading + first.text
    assert paragraph.runs[0].text == first.heading
    assert paragraph.runs[0].style.name == "三级标题字符"


def test_it_styles_titles_headings_and_body_by_named_styles(rendered: Path) -> None:
    document = Document(str(rendered))
    style_of = {p.text.replace("\n", ""): p.style.name for p in document.paragraphs}
    assert style_of["附件2"] == "附件标识"
    assert style_of[TITLE] == "公文标题"
    assert style_of["一、基本情况"] == "一级标题"
    assert style_of["（一）部门职能"] == "二级标题"
    assert style_of[FUNCTIONS[0]] == "公文正文"
    assert style_of[BUDGET[1]] == "公文正文"


def test_it_lays_the_page_out_as_a4_with_official_document_margins(rendered: Path) -> None:
    section = Document(str(rendered)).sections[0]
    expected_mm = {
        "page_width": 210,
        "page_height": 297,
        "top_margin": 37,
        "bottom_margin": 35,
        "left_margin": 28,
        "right_margin": 26,
    }
    for attribute, millimetres in expected_mm.items():
        assert getattr(section, attribute).mm == pytest.approx(millimetres, abs=0.1), attribute


def test_it_sets_a_grid_of_22_lines_of_28_characters_without_condensing(rendered: Path) -> None:
    document = Document(str(rendered))
    section = document.sections[0]
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "lines"  # a character grid pads digits in LibreOffice
    assert grid.get(qn("w:linePitch")) == "579"  # 28.95 pt
    type_height_pt = section.page_height.pt - section.top_margin.pt - section.bottom_margin.pt
    assert int(type_height_pt / 28.95) == 22
    body = document.styles["公文正文"]
    # 16 pt characters drawn at 98 % width: 28 fit the type width and a 29th does not
    advance_pt = 16 * int(body.element.rPr.find(qn("w:w")).get(qn("w:val"))) / 100
    type_width_pt = section.page_width.pt - section.left_margin.pt - section.right_margin.pt
    assert int(type_width_pt / advance_pt) == 28
    assert body.element.rPr.find(qn("w:spacing")) is None  # no negative character spacing


def test_it_sets_body_text_in_16_point_fangsong_with_a_two_character_indent(
    rendered: Path,
) -> None:
    styles = Document(str(rendered)).styles
    body = styles["公文正文"]
    assert body.font.size == Pt(16)
    assert east_asian_font(body) == "仿宋_GB2312"
    assert body.font.name == "Times New Roman"
    assert body.paragraph_format.line_spacing == Pt(28.95)
    ind = body.element.pPr.find(qn("w:ind"))
    assert ind.get(qn("w:firstLineChars")) == "200"


def test_it_sets_titles_and_headings_in_their_official_fonts(rendered: Path) -> None:
    styles = Document(str(rendered)).styles
    assert styles["公文标题"].font.size == Pt(22)
    assert east_asian_font(styles["公文标题"]) == "方正小标宋简体"
    assert east_asian_font(styles["一级标题"]) == "黑体"
    assert east_asian_font(styles["二级标题"]) == "楷体_GB2312"
    assert styles["一级标题"].base_style.name == "公文正文"
    assert font_size(styles["一级标题"]) == Pt(16)
    assert font_size(styles["二级标题"]) == Pt(16)


def test_it_numbers_pages_in_the_footer_with_a_page_field(rendered: Path) -> None:
    section = Document(str(rendered)).sections[0]
    for footer in (section.footer, section.even_page_footer):
        instructions = "".join(t.text for t in footer._element.iter(qn("w:instrText")))
        assert "PAGE" in instructions
        text = footer.paragraphs[0].text
        assert text.startswith("— ") and text.endswith(" —")


def test_it_writes_the_same_sentences_to_markdown() -> None:
    markdown = html.unescape(render_markdown(report()))  # & < > are escaped for Markdown
    assert f"# {TITLE}\n" in markdown
    assert "\n## 一、基本情况\n" in markdown
    assert "\n### （一）部门职能\n" in markdown
    for sentence in (PREAMBLE, *FUNCTIONS, *BUDGET, OBJECTIVE, KEY_TASKS, KEY_TASK_ANALYSIS):
        assert f"\n{sentence}\n" in markdown
    for item in ACHIEVEMENTS:
        assert f"\n{item.heading}{item.text}\n" in markdown
    assert "附：一致性检查结果" not in markdown  # findings go to the 审核意见
    assert FINDING_MESSAGE not in markdown
    assert "\n\n\n" not in markdown


def test_it_orders_the_markdown_like_the_word_file() -> None:
    markdown = html.unescape(render_markdown(report()))  # & < > are escaped for Markdown
    blocks = [block.lstrip("#- ") for block in markdown.split("\n\n")]
    lines = [line.lstrip("- ") for block in blocks for line in block.splitlines()]
    assert lines == EXPECTED_PARAGRAPHS


def test_it_renders_with_a_template_the_user_passes(tmp_path: Path) -> None:
    template = tmp_path / "mine.docx"
    document = Document()
    document.add_paragraph("我的模板：{{ title }}")
    document.save(str(template))
    path = render_docx(report(), tmp_path / "out.docx", template=template)
    assert paragraph_texts(path) == [f"我的模板：{TITLE}"]


def test_it_raises_a_template_error_in_chinese_for_a_broken_template(tmp_path: Path) -> None:
    template = tmp_path / "broken.docx"
    document = Document()
    document.add_paragraph("{{ title ")
    document.save(str(template))
    with pytest.raises(TemplateError) as raised:
        render_docx(report(), tmp_path / "out.docx", template=template)
    message = str(raised.value)
    assert "broken.docx" in message
    assert "模板" in message and "无法渲染" in message
    assert not (tmp_path / "out.docx").exists()


def test_it_raises_a_template_error_for_a_missing_or_non_word_template(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match="找不到"):
        render_docx(report(), tmp_path / "out.docx", template=tmp_path / "missing.docx")
    not_word = tmp_path / "notes.docx"
    not_word.write_text("不是 Word 文件", encoding="utf-8")
    with pytest.raises(TemplateError, match=re.escape("notes.docx")):
        render_docx(report(), tmp_path / "out.docx", template=not_word)


def test_it_ships_a_template_with_the_tags_the_builder_writes(tmp_path: Path) -> None:
    assert main([str(tmp_path / "built.docx")]) == 0
    built = paragraph_texts(tmp_path / "built.docx")
    assert paragraph_texts(PACKAGED_TEMPLATE) == built
    assert "{{ title }}" in built


def table_grids(path: Path) -> list[list[int]]:
    """Each table's column widths (twips)."""
    return [
        [int(column.get(qn("w:w"))) for column in table._tbl.tblGrid.findall(qn("w:gridCol"))]
        for table in Document(str(path)).tables
    ]


@pytest.mark.parametrize("packaged, build", [
    (PACKAGED_TEMPLATE, build_template), (MONITORING_TEMPLATE, build_monitoring_template),
])  # fmt: skip
def test_the_packaged_templates_tables_are_the_builders_kept_whole_in_the_type_area(
    tmp_path: Path, packaged: Path, build: object
) -> None:
    built = tmp_path / "built.docx"
    build(built)  # type: ignore[operator]
    assert table_grids(packaged) == table_grids(built)
    page = Document(str(packaged)).sections[0]
    type_width = Emu(page.page_width - page.left_margin - page.right_margin).twips
    for grid in table_grids(packaged):
        assert sum(grid) <= type_width + 1
    for table in Document(str(packaged)).tables:  # each row carries its own w:cantSplit
        assert all(row._tr.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None
                   for row in table.rows)  # fmt: skip


def test_the_monitoring_tables_hold_a_twelve_character_project_name(tmp_path: Path) -> None:
    built = tmp_path / "monitoring.docx"
    build_monitoring_template(built)
    one_character = Pt(10.5).twips  # 五号
    for grid in table_grids(built):
        assert grid[0] - 2 * 57 >= 12 * one_character  # 1 mm (57 twips) cell margins


def test_it_builds_a_template_into_a_new_folder(tmp_path: Path) -> None:
    out = tmp_path / "sub" / "template.docx"
    build_template(out)
    assert render_docx(report(), tmp_path / "r.docx", template=out).exists()


# --- LibreOffice ------------------------------------------------------------------

FIXTURE_PAGES = 2  # measured with LibreOffice 7.4: 22 lines, then the rest (no findings appendix)


@pytest.mark.libreoffice
def test_it_converts_to_an_a4_pdf_of_the_expected_length(rendered: Path, tmp_path: Path) -> None:
    require_tools("soffice", "pdfinfo")
    pages, (width, height) = pdf_pages_and_size(to_pdf(rendered, tmp_path))
    assert width == pytest.approx(595, abs=1)
    assert height == pytest.approx(842, abs=1)
    assert pages == FIXTURE_PAGES
