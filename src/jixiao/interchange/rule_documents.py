"""What the cycle's rule files share: reading YAML, percentages, points, amounts, evidence tags.

The ex-ante assessment sheets, the indicator libraries, the cost standards and the
results-application rules are each one YAML file validated by a pydantic model. They write
rates with the sign ("80%") and points or amounts as plain numbers, so that one cannot be
taken for the other; numbers are read as Decimal, never float. Every defect becomes a
Chinese ``Problem`` naming its place in the file, and nothing half-read is returned.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Generic, Literal, TypeVar

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from jixiao.core.money import HUNDRED, ZERO, AmountError, D
from jixiao.interchange.dataset_file import _DecimalLoader
from jixiao.interchange.problems import InputRejected, Problem, problems_from_validation_error

Evidence = Literal["V", "D", "L"]
"""V read in the source; D recalled from a national document; L local practice or a local choice."""

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")


def _number(value: Any) -> Decimal:
    if isinstance(value, float):
        raise ValueError("数值不能以浮点数读入，请检查文件读取方式")
    if isinstance(value, str) and value.strip().endswith(("%", "％")):
        raise ValueError(f"“{value}”是百分数，此处应为数字（不带 %）")
    try:
        return D(value)
    except AmountError as error:
        raise ValueError(f"{error}，应写成数字，如 10 或 12.5") from None


def _non_negative(value: Any) -> Decimal:
    number = _number(value)
    if number < ZERO:
        raise ValueError(f"不能为负数（读到 {number}）")
    return number


def percent(value: Any) -> Decimal:
    """ "80%" → 0.8; a bare number is refused so that 80 and 0.8 cannot be confused."""
    if not isinstance(value, str) or not value.strip().endswith(("%", "％")):
        raise ValueError(f"“{value}”应写成百分数，如“80%”")
    try:
        number = D(value.strip()[:-1])
    except AmountError:
        raise ValueError(f"“{value}”不是有效的百分数，应写成如“80%”") from None
    if number < ZERO:
        raise ValueError(f"百分数不能为负数（读到 {value}）")
    return number / HUNDRED


def _share(value: Any) -> Decimal:
    share = percent(value)
    if share > 1:
        raise ValueError(f"百分数应在 0% 到 100% 之间（读到 {value}）")
    return share


def _version(value: Any) -> Any:
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return str(value)
    return value


Number = Annotated[Decimal, BeforeValidator(_number)]
"""Any number, sign allowed."""
Points = Annotated[Decimal, BeforeValidator(_non_negative)]
"""Points or an amount: a number ≥ 0, never a percentage."""
Percent = Annotated[Decimal, BeforeValidator(percent)]
"""A percentage ≥ 0% as a fraction ("130%" → 1.3)."""
Share = Annotated[Decimal, BeforeValidator(_share)]
"""A percentage from 0% to 100% as a fraction."""
Text = Annotated[str, Field(min_length=1)]
Version = Annotated[str, BeforeValidator(_version), Field(min_length=1)]
RuleId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]


class Strict(BaseModel):
    """A rule-file record: unknown fields are refused, values are frozen."""

    model_config = ConfigDict(defer_build=True, extra="forbid", frozen=True)


class RuleFileHeader(Strict):
    """The fields every rule file opens with (after ``format``)."""

    id: RuleId
    version: Version
    name: Text
    sources: list[Text] = Field(default_factory=list)
    evidence: Evidence | None = None


def read_document(raw: bytes | str, where: str = "") -> dict[str, Any]:
    """The key-value document a rule file holds; InputRejected when it is not one."""
    if isinstance(raw, bytes):
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = raw[: error.start].count(b"\n") + 1
            place = f"{where} 第{line}行" if where else f"第{line}行"
            problem = Problem(place, "文件不是 UTF-8 编码，请以 UTF-8 编码另存后再读入")
            raise InputRejected([problem]) from None
    else:
        text = raw
    try:
        document = yaml.load(text, Loader=_DecimalLoader)  # a SafeLoader subclass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        place = f"第{mark.line + 1}行第{mark.column + 1}列" if mark else ""
        place = f"{where} {place}".strip()
        raise InputRejected([Problem(place, f"YAML 格式错误：{error.problem}")]) from None
    except yaml.YAMLError as error:
        raise InputRejected([Problem(where, f"YAML 格式错误：{error}")]) from None
    if not isinstance(document, dict):
        raise InputRejected([Problem(where, "文件内容应为一个键值对象（以 format: 开头）")])
    return document


def validate(model: type[M], document: dict[str, Any], where: str = "") -> M:
    """The document as the model; InputRejected naming every field in error."""
    try:
        return model.model_validate(document)
    except ValidationError as error:
        raise InputRejected(problems_from_validation_error(error, where)) from None


def read_file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise InputRejected([Problem(str(path), f"无法读取文件：{error.strerror}")]) from None


def packaged(folder: str, name: str, available: tuple[str, ...]) -> bytes:
    """A file shipped in ``jixiao/{folder}/{name}.yaml``; refused unless ``name`` is listed."""
    if name not in available:
        choices = "、".join(available) or "（无）"
        raise InputRejected([Problem("", f"没有名为“{name}”的规则文件，可选：{choices}")])
    entry = resources.files("jixiao")
    for part in folder.split("/"):
        entry = entry / part
    return (entry / f"{name}.yaml").read_bytes()


@dataclass(frozen=True)
class RuleFileKind(Generic[M, T]):
    """One kind of rule file: its model, its checks across fields, the core record it makes."""

    model: type[M]
    cross_check: Callable[[M], Iterable[Problem]]
    build: Callable[[M], T]
    folder: str
    shipped: tuple[str, ...]
    """The ids of the files shipped in ``jixiao/{folder}``."""

    def from_document(self, document: dict[str, Any], where: str = "") -> T:
        """Validate a key-value document (from YAML or a workbook); InputRejected on any defect."""
        model = validate(self.model, document, where)
        problems = list(self.cross_check(model))
        if problems:
            raise InputRejected(problems)
        return self.build(model)

    def parse(self, raw: bytes | str, where: str = "") -> T:
        return self.from_document(read_document(raw, where), where)

    def read(self, path: Path) -> T:
        return self.parse(read_file(path), str(path))

    def packaged(self, name: str) -> T:
        """A shipped file by id: one of ``shipped``."""
        return self.parse(packaged(self.folder, name, self.shipped), f"{name}.yaml")
