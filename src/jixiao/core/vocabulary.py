"""Closed vocabularies of the domain, with the Chinese labels reports print."""

from __future__ import annotations

from enum import StrEnum


class FundingSource(StrEnum):
    """资金来源."""

    general_public_budget = "general_public_budget"
    government_fund_budget = "government_fund_budget"
    state_capital_budget = "state_capital_budget"
    other_funds = "other_funds"

    @property
    def label(self) -> str:
        return _FUNDING_SOURCE_LABELS[self]


_FUNDING_SOURCE_LABELS = {
    FundingSource.general_public_budget: "一般公共预算财政拨款",
    FundingSource.government_fund_budget: "政府性基金预算财政拨款",
    FundingSource.state_capital_budget: "国有资本经营预算财政拨款",
    FundingSource.other_funds: "其他资金",
}


class Nature(StrEnum):
    """支出性质: 基本支出 or 项目支出."""

    basic = "basic"
    project = "project"

    @property
    def label(self) -> str:
        return {Nature.basic: "基本支出", Nature.project: "项目支出"}[self]


class BasicKind(StrEnum):
    """基本支出 is split into 人员经费 and 公用经费."""

    personnel = "personnel"
    operations = "operations"

    @property
    def label(self) -> str:
        return {BasicKind.personnel: "人员经费", BasicKind.operations: "公用经费"}[self]


class ProjectCategory(StrEnum):
    """项目类别: how a project's money is spent over the year, which shapes its forecast curve."""

    recurrent = "recurrent"
    one_off = "one_off"
    construction = "construction"

    @property
    def label(self) -> str:
        return _PROJECT_CATEGORY_LABELS[self]


_PROJECT_CATEGORY_LABELS = {
    ProjectCategory.recurrent: "经常性项目",
    ProjectCategory.one_off: "一次性项目",
    ProjectCategory.construction: "工程类项目",
}


class AmountUnit(StrEnum):
    """The unit amounts are written in, in a dataset file or a sheet."""

    yuan = "元"
    wan = "万元"


class Severity(StrEnum):
    """How serious a finding is."""

    error = "error"
    warning = "warning"
    info = "info"

    @property
    def label(self) -> str:
        return {Severity.error: "错误", Severity.warning: "警告", Severity.info: "提示"}[self]
