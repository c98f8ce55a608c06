"""The main job: `jixiao demo` loads the Liwan 2023 year and writes its report."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from docx import Document

from tests.office import pdf_pages_and_size, require_tools, to_pdf

pytestmark = pytest.mark.django_db

HEADLINE = "2023年全年预算数103,118.19万元，执行数77,261.67万元，完成预算的74.93%。"
BREAKDOWN = (
    "按资金来源分，一般公共预算财政拨款支出5,260.44万元，政府性基金预算财政拨款支出71,968.65万元，"
    "国有资本经营预算财政拨款支出0.00万元，其他资金支出32.58万元。按支出性质看，基本支出3,734.82万元，"
    "项目支出73,526.84万元。年末结转和结余2,578.28万元。"
)
REFERENCE = Path(__file__).resolve().parents[2].parent / "shared" / "reference"
# measured with LibreOffice 7.4 and Noto CJK standing in for the official fonts: 16 pages of
# report, then the 附表 (the department form on 3 pages, three project forms on 2 each)
DEMO_PAGES = 25

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def demo(jixiao: Run, tmp_path: Path) -> tuple[Path, str]:
    code, out, err = jixiao("demo", "--out", tmp_path / "report")
    assert code == 0, err
    return tmp_path / "report", out


def _paragraphs(docx: Path) -> list[str]:
    return [p.text.replace("\n", "") for p in Document(str(docx)).paragraphs]  # title lines


def test_it_writes_the_report_as_word_and_markdown(demo: tuple[Path, str]) -> None:
    folder, out = demo
    docx = folder / "2023-liwan-ghzy-self-evaluation.docx"
    markdown = folder / "2023-liwan-ghzy-self-evaluation.md"
    assert docx.exists() and markdown.exists()
    assert str(docx) in out and str(markdown) in out


def test_the_word_report_prints_the_reference_sentence_of_figures_exactly(
    demo: tuple[Path, str],
) -> None:
    paragraphs = _paragraphs(demo[0] / "2023-liwan-ghzy-self-evaluation.docx")
    assert HEADLINE in paragraphs
    assert BREAKDOWN in paragraphs


def test_the_reference_report_prints_the_same_sentence() -> None:
    reference = REFERENCE / "liwan-2023-self-evaluation-report.txt"
    if not reference.exists():
        pytest.skip("the reference report is not beside this checkout")
    assert HEADLINE in reference.read_text(encoding="utf-8")


def test_the_report_follows_the_reference_structure(demo: tuple[Path, str]) -> None:
    paragraphs = _paragraphs(demo[0] / "2023-liwan-ghzy-self-evaluation.docx")
    headings = [
        "一、基本情况", "（一）部门职能", "（二）部门整体收支情况", "（三）部门整体支出绩效目标",
        "（四）部门年度重点工作任务", "二、综合评价分析", "（一）自评结论综述",
        "（二）各重点工作任务绩效目标完成情况分析", "（三）主要工作成效", "三、存在的主要问题",
        "四、下一步改进措施",
    ]
    positions = [paragraphs.index(heading) for heading in headings]
    assert positions == sorted(positions)
    assert paragraphs[1] == "2023年度广州市规划和自然资源局荔湾区分局部门整体支出绩效自评报告"
    assert sum(p.startswith(f"{n}、") for p in paragraphs for n in range(1, 17)) >= 16  # 职能
    assert sum(p.startswith(f"{n}.") for p in paragraphs for n in range(1, 15)) >= 14  # 成效
    assert "三是加大工作实施力度" in "".join(paragraphs)


def test_it_prints_the_headline_figures_and_the_one_cent_warning(demo: tuple[Path, str]) -> None:
    out = demo[1]
    assert "全年预算数 103,118.19 万元；执行数 77,261.67 万元；执行率 74.93%" in out
    assert "【警告】按支出性质：基本支出3,734.82万元＋项目支出73,526.84万元＝77,261.66万元" in out
    assert "与执行数77,261.67万元相差0.01万元" in out


def test_the_warning_goes_to_the_review_notes_not_into_the_report(demo: tuple[Path, str]) -> None:
    folder, out = demo
    paragraphs = _paragraphs(folder / "2023-liwan-ghzy-self-evaluation.docx")
    assert "附：一致性检查结果" not in paragraphs
    assert not any("相差0.01万元" in p for p in paragraphs)
    markdown = (folder / "2023-liwan-ghzy-self-evaluation.md").read_text(encoding="utf-8")
    assert "相差0.01万元" not in markdown and HEADLINE in markdown
    review = folder / "2023-liwan-ghzy-self-evaluation-review.docx"
    assert f"审核意见（Word）：{review}" in out
    assert any("相差0.01万元" in p for p in _paragraphs(review))


def test_running_the_demo_twice_replaces_the_earlier_copy(jixiao: Run, tmp_path: Path) -> None:
    from jixiao.storage import models as m

    assert jixiao("demo", "--out", tmp_path / "a")[0] == 0
    assert jixiao("demo", "--out", tmp_path / "b")[0] == 0
    # the synthetic 2022 ledger (for the monitoring profile), the 2023 year and the 2024
    # budget proposal, once each
    stored = m.FiscalYear.objects.filter(department__code="liwan-ghzy")
    assert sorted(stored.values_list("year", flat=True)) == [2022, 2023, 2024]


def test_a_report_for_an_unknown_year_says_so(jixiao: Run, tmp_path: Path) -> None:
    code, _, err = jixiao("report", "--department", "nobody", "--year", "2023", "--out", tmp_path)
    assert code == 2
    assert "未找到部门“nobody”的2023年度数据" in err


@pytest.mark.libreoffice
def test_the_demo_report_converts_to_a4_pages(demo: tuple[Path, str], tmp_path: Path) -> None:
    require_tools("soffice", "pdfinfo")
    pages, (width, height) = pdf_pages_and_size(
        to_pdf(demo[0] / "2023-liwan-ghzy-self-evaluation.docx", tmp_path)
    )
    assert (round(width), round(height)) == (595, 842)
    assert pages == DEMO_PAGES
