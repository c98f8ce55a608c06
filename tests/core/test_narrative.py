"""The report's words: every sentence with a figure is generated from the core's figures."""

from __future__ import annotations

from dataclasses import replace

import pytest

from jixiao.core.budget import budget_figures
from jixiao.core.consistency import run_checks
from jixiao.core.narrative import (
    Item,
    breakdown_sentence,
    chinese_ordinal,
    headline_sentence,
    not_executed_sentence,
    report_content,
    report_title,
)
from jixiao.core.year import Achievement, Problem, PublishedTotals

from .builders import LIWAN_NAME, line, lines_year, liwan_year, wan

LIWAN_HEADLINE = "2023年全年预算数103,118.19万元，执行数77,261.67万元，完成预算的74.93%。"
LIWAN_BREAKDOWN = (
    "按资金来源分，一般公共预算财政拨款支出5,260.44万元，政府性基金预算财政拨款支出"
    "71,968.65万元，国有资本经营预算财政拨款支出0.00万元，其他资金支出32.58万元。"
    "按支出性质看，基本支出3,734.82万元，项目支出73,526.84万元。"
    "年末结转和结余2,578.28万元。"
)
LIWAN_NOT_EXECUTED = (
    "全年预算数与执行数相差25,856.52万元，其中年末结转和结余2,578.28万元，"
    "其余23,278.24万元既未支出也未结转结余。"
)


@pytest.fixture
def liwan_figures():
    return budget_figures(liwan_year())


# The budget paragraphs, word for word as the reference prints them, then the unspent budget


def test_the_liwan_headline_reads_as_the_reference_prints_it(liwan_figures):
    assert headline_sentence(2023, liwan_figures) == LIWAN_HEADLINE


def test_the_liwan_breakdown_reads_as_the_reference_prints_it(liwan_figures):
    assert breakdown_sentence(liwan_figures) == LIWAN_BREAKDOWN


def test_it_states_the_budget_neither_spent_nor_carried_over(liwan_figures):
    assert not_executed_sentence(liwan_figures) == LIWAN_NOT_EXECUTED


def test_it_says_nothing_more_when_the_carryover_accounts_for_the_budget_not_executed():
    figures = budget_figures(liwan_year())
    carried = replace(figures, carryover=figures.final_budget - figures.executed)
    assert not_executed_sentence(carried) == ""
    assert not_executed_sentence(replace(figures, carryover=None)) == ""


def test_a_headline_without_a_budget_prints_a_dash_for_the_rate():
    figures = budget_figures(liwan_year(totals=PublishedTotals(executed=wan("5"))))
    assert headline_sentence(2023, figures) == (
        "2023年全年预算数0.00万元，执行数5.00万元，完成预算的—。"
    )


def test_a_breakdown_leaves_out_a_carryover_nobody_recorded():
    figures = budget_figures(lines_year(line("101", "10.00", "2.50")))
    assert figures.carryover is None
    sentence = breakdown_sentence(figures)
    assert "年末结转和结余" not in sentence
    assert sentence.endswith("按支出性质看，基本支出0.00万元，项目支出2.50万元。")


def test_a_breakdown_of_published_totals_prints_only_what_was_published():
    figures = budget_figures(liwan_year(totals=PublishedTotals(executed=wan("5"))))
    assert breakdown_sentence(figures) == ""


# Chinese ordinals


@pytest.mark.parametrize(
    ("position", "ordinal"),
    [
        (1, "一"),
        (2, "二"),
        (3, "三"),
        (4, "四"),
        (5, "五"),
        (6, "六"),
        (7, "七"),
        (8, "八"),
        (9, "九"),
        (10, "十"),
        (11, "十一"),
        (12, "十二"),
        (13, "十三"),
        (20, "二十"),
        (21, "二十一"),
        (99, "九十九"),
    ],
)
def test_it_numbers_in_chinese(position, ordinal):
    assert chinese_ordinal(position) == ordinal


# The whole report


@pytest.fixture
def liwan_with_texts():
    return replace(
        liwan_year(),
        functions_preamble="主要职责是：",
        functions=("负责辖区自然资源行政执法工作。", "完成区委、区政府交办的其他任务。"),
        key_tasks=(
            "优化完善规划管控，强化刚性约束作用",
            "有序开展土地储备出让",
            "落实最严格的耕地保护政策",
        ),
        achievements=(
            Achievement("构建美丽国土空间格局，助力推动荔湾高质量发展", "立足荔湾实际。"),
            Achievement("坚守耕地保护红线。", "严格落实耕地保护。"),
        ),
        problems=(
            Problem("绩效管理意识有待加强", "绩效管理工作作为重点工作。"),
            Problem("绩效监控填报及资料整理水平有待提升"),
        ),
        improvement_measures=("落实绩效责任。", "梳理优化核心绩效指标体系。", "加强培训。"),
    )


def test_the_report_is_titled_by_year_and_department(liwan_with_texts):
    expected = f"2023年度{LIWAN_NAME}部门整体支出绩效自评报告"
    assert report_title(liwan_with_texts) == expected
    assert report_content(liwan_with_texts, ()).title == expected
    assert expected == "2023年度广州市规划和自然资源局荔湾区分局部门整体支出绩效自评报告"


def test_the_report_numbers_functions_with_arabic_numerals(liwan_with_texts):
    content = report_content(liwan_with_texts, ())
    assert content.functions_preamble == "主要职责是："
    assert content.functions == (
        "1、负责辖区自然资源行政执法工作。",
        "2、完成区委、区政府交办的其他任务。",
    )


def test_the_report_joins_key_tasks_with_semicolons_and_ends_with_a_full_stop(liwan_with_texts):
    assert report_content(liwan_with_texts, ()).key_tasks == (
        "优化完善规划管控，强化刚性约束作用；有序开展土地储备出让；落实最严格的耕地保护政策。"
    )


def test_a_report_without_key_tasks_prints_none():
    assert report_content(liwan_year(), ()).key_tasks == ""


def test_the_report_numbers_achievements_and_closes_their_titles_once(liwan_with_texts):
    assert report_content(liwan_with_texts, ()).achievements == (
        Item("1.构建美丽国土空间格局，助力推动荔湾高质量发展。", "立足荔湾实际。"),
        Item("2.坚守耕地保护红线。", "严格落实耕地保护。"),
    )


def test_the_report_numbers_problems_with_chinese_ordinals_in_brackets(liwan_with_texts):
    assert report_content(liwan_with_texts, ()).problems == (
        Item("（一）绩效管理意识有待加强。", "绩效管理工作作为重点工作。"),
        Item("（二）绩效监控填报及资料整理水平有待提升。", ""),
    )


def test_the_report_opens_measures_with_first_second_third(liwan_with_texts):
    assert report_content(liwan_with_texts, ()).improvement_measures == (
        "一是落实绩效责任。",
        "二是梳理优化核心绩效指标体系。",
        "三是加强培训。",
    )


def test_the_report_prints_the_budget_paragraphs_and_no_finding(liwan_with_texts):
    findings = tuple(run_checks(liwan_with_texts))
    assert [f.id for f in findings] == ["natures-sum-to-total"]
    content = report_content(liwan_with_texts, findings, attachment_label="附件2")
    assert content.attachment_label == "附件2"
    assert content.budget_paragraphs == (LIWAN_HEADLINE, LIWAN_BREAKDOWN, LIWAN_NOT_EXECUTED)
    assert not hasattr(content, "findings")


def test_a_rounding_difference_the_preparer_accepts_is_explained_by_a_note(liwan_with_texts):
    findings = tuple(run_checks(liwan_with_texts))
    noted = report_content(replace(liwan_with_texts, rounding_note=True), findings)
    assert noted.budget_paragraphs[1:3] == (LIWAN_BREAKDOWN, "注：尾差系四舍五入所致。")
    assert (
        "注：尾差系四舍五入所致。"
        not in report_content(liwan_with_texts, findings).budget_paragraphs
    )


def test_the_rounding_note_is_not_printed_where_the_figures_agree():
    year = replace(liwan_year(), rounding_note=True)
    year = replace(year, totals=replace(year.totals, executed_by_nature={}))
    content = report_content(year, tuple(run_checks(year)))
    assert "注：尾差系四舍五入所致。" not in content.budget_paragraphs


def test_a_report_drops_an_empty_budget_paragraph():
    year = liwan_year(totals=PublishedTotals(final_budget=wan("10"), executed=wan("5")))
    assert report_content(year, ()).budget_paragraphs == (
        "2023年全年预算数10.00万元，执行数5.00万元，完成预算的50.00%。",
    )
