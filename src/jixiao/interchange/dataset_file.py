"""Read and write dataset files (YAML), turning every defect into a located Chinese problem."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from enum import Enum
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from jixiao.core.vocabulary import AmountUnit, Nature
from jixiao.interchange.dataset import Dataset
from jixiao.interchange.problems import InputRejected, Problem, problems_from_validation_error

_PLACES_ALLOWED = {AmountUnit.yuan: 2, AmountUnit.wan: 6}


class _DecimalLoader(yaml.SafeLoader):
    """A YAML loader that reads numbers with a fraction as Decimal, never as float."""


def _construct_decimal(loader: yaml.SafeLoader, node: yaml.Node) -> Decimal | str:
    text = str(loader.construct_scalar(node))  # type: ignore[arg-type]
    try:
        return Decimal(text.replace("_", ""))
    except InvalidOperation:
        return text  # the validators name it as an invalid amount


_DecimalLoader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)


class _Dumper(yaml.SafeDumper):
    """Writes Decimals as plain numbers and enums as their values, never as aliases."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def _represent_decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.Node:
    text = format(value, "f")
    tag = "tag:yaml.org,2002:float" if "." in text else "tag:yaml.org,2002:int"
    return dumper.represent_scalar(tag, text)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(Decimal, _represent_decimal)
_Dumper.add_representer(str, _represent_str)
_Dumper.add_multi_representer(Enum, lambda dumper, value: dumper.represent_str(str(value.value)))


def parse_dataset(raw: bytes) -> Dataset:
    """Validate a dataset file's bytes; raise InputRejected with every problem found."""
    text = _decode(raw)
    document = _parse_yaml(text)
    try:
        dataset = Dataset.model_validate(document)
    except ValidationError as error:
        raise InputRejected(problems_from_validation_error(error)) from None
    problems = list(cross_check(dataset))
    if problems:
        raise InputRejected(problems)
    return dataset


def read_dataset(path: Path) -> Dataset:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise InputRejected([Problem(str(path), f"无法读取文件：{error.strerror}")]) from None
    return parse_dataset(raw)


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        byte = f"第{error.start + 1}个字节 0x{raw[error.start]:02x}"
        message = (
            f"文件不是 UTF-8 编码（{byte} 无法解码）{_guess_encoding(raw)}，"
            "请以 UTF-8 编码另存后再导入"
        )
        raise InputRejected([Problem(f"第{line}行", message)]) from None


def _guess_encoding(raw: bytes) -> str:
    try:
        raw.decode("gb18030")
    except UnicodeDecodeError:
        return ""
    return "，看起来是 GBK/GB18030 编码"


def _parse_yaml(text: str) -> Any:
    try:
        document = yaml.load(text, Loader=_DecimalLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f"第{mark.line + 1}行第{mark.column + 1}列" if mark else ""
        raise InputRejected([Problem(where, f"YAML 格式错误：{error.problem}")]) from None
    except yaml.YAMLError as error:
        raise InputRejected([Problem("", f"YAML 格式错误：{error}")]) from None
    if not isinstance(document, dict):
        raise InputRejected([Problem("", "文件内容应为一个键值对象（以 format: 等字段开头）")])
    return document


def cross_check(dataset: Dataset) -> Iterator[Problem]:
    """Problems no single field shows: duplicates, dangling references, precision."""
    budget = dataset.budget
    yield from _duplicates([p.code for p in budget.projects], "budget.projects", "项目代码")
    yield from _duplicates([line.code for line in budget.lines], "budget.lines", "预算行代码")
    yield from _duplicates(
        [u.code for u in dataset.department.units], "department.units", "单位代码"
    )
    yield from _duplicates(
        [o.code for o in dataset.department.offices], "department.offices", "科室代码"
    )
    yield from _dangling_references(dataset)
    yield from _payments_and_line_totals(dataset)
    yield from _precision(dataset)
    yield from _goal_references(dataset)


def _goal_references(dataset: Dataset) -> Iterator[Problem]:
    projects = {p.code for p in dataset.budget.projects}
    seen: set[str | None] = set()
    for index, goal in enumerate(dataset.goals):
        where = f"goals[{index}]"
        if goal.project is not None and goal.project not in projects:
            yield Problem(f"{where}.project", f"项目“{goal.project}”未在 budget.projects 中定义")
        if goal.project in seen:
            whose = f"项目“{goal.project}”" if goal.project else "部门整体"
            yield Problem(f"{where}.project", f"{whose}的绩效目标重复")
        seen.add(goal.project)
        for position, indicator in enumerate(goal.indicators):
            for k, progress in enumerate(indicator.progress):
                if progress.date.year != dataset.year:
                    yield Problem(
                        f"{where}.indicators[{position}].progress[{k}].date",
                        f"进度日期 {progress.date.isoformat()} 不在 {dataset.year} 年度内",
                    )
        paths = Counter((i.level1, i.level2, i.level3) for i in goal.indicators)
        for position, indicator in enumerate(goal.indicators):
            key = (indicator.level1, indicator.level2, indicator.level3)
            if paths[key] > 1:
                yield Problem(
                    f"{where}.indicators[{position}]", f"指标“{'/'.join(key)}”在同一目标中重复"
                )


def _duplicates(codes: list[str], path: str, what: str) -> Iterator[Problem]:
    counts = Counter(codes)
    for index, code in enumerate(codes):
        if counts[code] > 1:
            yield Problem(f"{path}[{index}].code", f"{what}“{code}”重复出现{counts[code]}次")


def _dangling_references(dataset: Dataset) -> Iterator[Problem]:
    projects = {p.code for p in dataset.budget.projects}
    offices = {o.code for o in dataset.department.offices}
    units = {u.code for u in dataset.department.units}
    for index, project in enumerate(dataset.budget.projects):
        where = f"budget.projects[{index}]"
        if project.office and project.office not in offices:
            message = f"科室“{project.office}”未在 department.offices 中定义"
            yield Problem(f"{where}.office", message)
        if project.unit and project.unit not in units:
            yield Problem(f"{where}.unit", f"单位“{project.unit}”未在 department.units 中定义")
    for index, line in enumerate(dataset.budget.lines):
        if line.nature is Nature.project and line.project not in projects:
            yield Problem(
                f"budget.lines[{index}].project", f"项目“{line.project}”未在 budget.projects 中定义"
            )
    lines = {line.code for line in dataset.budget.lines}
    for index, payment in enumerate(dataset.budget.payments):
        if payment.line not in lines:
            yield Problem(
                f"budget.payments[{index}].line", f"支出所属的预算行“{payment.line}”不存在"
            )
        if payment.date.year != dataset.year:
            yield Problem(
                f"budget.payments[{index}].date",
                f"支付日期 {payment.date.isoformat()} 不在 {dataset.year} 年度内",
            )
    for index, line in enumerate(dataset.budget.lines):
        for position, adjustment in enumerate(line.adjustments):
            if adjustment.date.year != dataset.year:
                yield Problem(
                    f"budget.lines[{index}].adjustments[{position}].date",
                    f"调整日期 {adjustment.date.isoformat()} 不在 {dataset.year} 年度内",
                )


def _payments_and_line_totals(dataset: Dataset) -> Iterator[Problem]:
    projects_with_lines = {line.project for line in dataset.budget.lines}
    for index, project in enumerate(dataset.budget.projects):
        given = [f for f in ("initial_budget", "final_budget", "executed") if getattr(project, f)]
        if project.code in projects_with_lines and given:
            yield Problem(
                f"budget.projects[{index}].{given[0]}",
                "该项目已有预算行，资金由预算行汇总，不应再填写项目的预算数或执行数",
            )
    paid_lines = {payment.line for payment in dataset.budget.payments}
    for index, line in enumerate(dataset.budget.lines):
        if line.code in paid_lines and line.executed is not None:
            yield Problem(
                f"budget.lines[{index}].executed",
                "该预算行已有支出明细，执行数由明细汇总，不应再填写 executed",
            )


def _precision(dataset: Dataset) -> Iterator[Problem]:
    allowed = _PLACES_ALLOWED[dataset.unit]
    document = dataset.model_dump(mode="python", include={"budget"})
    for path, value in _walk(document, ""):
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and -exponent > allowed:
            yield Problem(
                path, f"金额 {value} {dataset.unit.value} 的精度超过 1 分（最多 {allowed} 位小数）"
            )


def _walk(value: Any, path: str) -> Iterator[tuple[str, Decimal]]:
    if isinstance(value, Decimal):
        yield path, value.normalize() if value == value.to_integral() else value
    elif isinstance(value, dict):
        for key, item in value.items():
            name = key.value if isinstance(key, Enum) else key
            yield from _walk(item, f"{path}.{name}" if path else str(name))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _walk(item, f"{path}[{index}]")


def dump_dataset(dataset: Dataset) -> str:
    """The dataset as YAML text, fields in the order of the format, defaults left out."""
    document = dataset.model_dump(mode="python", exclude_defaults=True)
    document = {"format": dataset.format, **document}
    return yaml.dump(
        _plain(document), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=4096
    )


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {(k.value if isinstance(k, Enum) else k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value
