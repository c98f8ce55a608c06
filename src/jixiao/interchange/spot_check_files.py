"""财政评价 framework files (``jixiao/rules/spot-check-*.yaml``): read and validate.

A file names the sampling thresholds and the 决策 / 过程 / 产出 / 效益 framework::

    format: jixiao-spot-check/1
    id: spot-check-mof-2020
    sampling: {low_execution_below: 80, high_score_above: 95}
    level1:
      - name: 决策
        weight: 15
        items: [{key: decision-goal, level2: 绩效目标, name: 绩效目标合理性, weight: 3}, …]
      - name: 产出
        weight: 40
        from_self_evaluation: [产出指标]
    execution_level1: 过程

The groups' weights sum to 100. A group's own items take their weights; the rest of its
weight is shared, in proportion, by the sampled project's rows placed in it (its 产出 / 效益
indicators, the 预算执行率 row in ``execution_level1``). A group that receives no such rows
has items summing to its weight.
"""

from __future__ import annotations

import functools
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
    model_config = ConfigDict(defer_build=True, extra="forbid")


class _Item(_Strict):
    key: str
    level2: str
    name: str
    weight: Decimal


class _Level1(_Strict):
    name: str
    weight: Decimal
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
    _check_weights(data, source)
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
        level1_weights=tuple((level.name, level.weight) for level in data.level1),
        version=data.version,
    )


def _number(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _check_weights(data: _File, source: str) -> None:
    """The groups sum to 100, and each leaves room for the self rows it receives (and
    only when it receives some)."""
    where = f"财政评价框架文件 {source}"
    total = sum((level.weight for level in data.level1), Decimal(0))
    if total != 100:
        raise SpotCheckFileError(
            f"{where}：一级指标权重合计为{_number(total)}分，须为100分"
            f"（{'、'.join(f'{lv.name}{_number(lv.weight)}' for lv in data.level1)}）。"
        )
    for level in data.level1:
        items = sum((item.weight for item in level.items), Decimal(0))
        receives = bool(level.from_self_evaluation) or level.name == data.execution_level1
        if receives and items >= level.weight:
            raise SpotCheckFileError(
                f"{where}：一级指标“{level.name}”权重{_number(level.weight)}分，其下指标已占"
                f"{_number(items)}分，没有留给项目自评指标的分值。"
            )
        if not receives and items != level.weight:
            raise SpotCheckFileError(
                f"{where}：一级指标“{level.name}”下各指标分值合计{_number(items)}分，"
                f"与其权重{_number(level.weight)}分不符。"
            )


@functools.lru_cache(maxsize=16)
def load_framework(rule_id: str = DEFAULT) -> Framework:
    """The framework file of that id (read once: rule files change with the code)."""
    path = RULES_DIR / f"{rule_id}.yaml"
    if not path.is_file():
        raise SpotCheckFileError(f"找不到财政评价框架文件 {rule_id}。")
    return parse_framework(path.read_text(encoding="utf-8"), path.name)
