"""财政评价 framework files (``jixiao/rules/spot-check-*.yaml``): read and validate.

A file names the sampling thresholds and the 决策 / 过程 / 产出 / 效益 framework::

    format: jixiao-spot-check/1
    id: spot-check-mof-2020
    sampling: {low_execution_below: 80, high_score_above: 95}
    level1:
      - name: 决策
        items: [{key: decision-goal, level2: 绩效目标, name: 绩效目标合理性, weight: 3}, …]
      - name: 产出
        from_self_evaluation: [产出指标]
    execution_level1: 过程
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from jixiao.core.spot_checks import Framework, FrameworkItem, SamplingRule

FORMAT = "jixiao-spot-check/1"
DEFAULT = "spot-check-mof-2020"
RULES_DIR = Path(__file__).resolve().parent.parent / "rules"


class SpotCheckFileError(ValueError):
    """A framework file that cannot be used, with the problem in Chinese."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Item(_Strict):
    key: str
    level2: str
    name: str
    weight: Decimal


class _Level1(_Strict):
    name: str
    items: list[_Item] = []
    from_self_evaluation: list[str] = []


class _Sampling(_Strict):
    low_execution_below: Decimal | None = None
    high_score_above: Decimal | None = None


class _File(_Strict):
    format: str
    id: str
    version: str
    name: str
    sources: list[str] = []
    sampling: _Sampling
    level1: list[_Level1]
    execution_level1: str


def parse_framework(text: str, source: str) -> Framework:
    try:
        data = _File.model_validate(yaml.safe_load(text))
    except (yaml.YAMLError, ValidationError) as error:
        raise SpotCheckFileError(f"财政评价框架文件 {source} 无法读取：{error}") from error
    if data.format != FORMAT:
        raise SpotCheckFileError(f"财政评价框架文件 {source} 的 format 须为 {FORMAT}。")
    names = [level.name for level in data.level1]
    if data.execution_level1 not in names:
        raise SpotCheckFileError(
            f"财政评价框架文件 {source}：execution_level1“{data.execution_level1}”不是一级指标。"
        )
    keys = [item.key for level in data.level1 for item in level.items]
    if len(keys) != len(set(keys)):
        raise SpotCheckFileError(f"财政评价框架文件 {source}：指标 key 重复。")
    return Framework(
        id=data.id,
        name=data.name,
        sampling=SamplingRule(data.sampling.low_execution_below, data.sampling.high_score_above),
        items=tuple(
            FrameworkItem(item.key, level.name, item.level2, item.name, item.weight)
            for level in data.level1
            for item in level.items
        ),
        level1_of_self={
            own: level.name for level in data.level1 for own in level.from_self_evaluation
        },
        execution_level1=data.execution_level1,
        level1_order=tuple(names),
    )


def load_framework(rule_id: str = DEFAULT) -> Framework:
    path = RULES_DIR / f"{rule_id}.yaml"
    if not path.is_file():
        raise SpotCheckFileError(f"找不到财政评价框架文件 {rule_id}。")
    return parse_framework(path.read_text(encoding="utf-8"), path.name)
