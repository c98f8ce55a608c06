"""Read and write dataset files (YAML), turning every defect into a located Chinese problem."""

from __future__ import annotations

import gc
import re
from collections import Counter
from collections.abc import Hashable, Iterator
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation
from enum import Enum
from itertools import chain
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from jixiao.core.bounds import (
    AMOUNT,
    COST_SHARE,
    FIGURE,
    PERCENT,
    SCORE,
    TEXT_LENGTH,
    WEIGHT,
    NumberBound,
    shown_number,
    text_problem,
)
from jixiao.core.goals import IndicatorKind
from jixiao.core.money import ONE, TEN_THOUSAND
from jixiao.core.targets import FigureOutOfBounds, TargetError, parse_actual
from jixiao.core.vocabulary import AmountUnit, Nature
from jixiao.env import env_int
from jixiao.interchange.dataset import Dataset, ForecastEntry
from jixiao.interchange.problems import InputRejected, Problem, problems_from_validation_error

_PLACES_ALLOWED = {AmountUnit.yuan: 2, AmountUnit.wan: 6}
COMPOSE_IN_C_BELOW = 1024 * 1024
"""Characters of YAML text below which libyaml composes it (faster, but with the whole
node tree in memory at once: about 300 MB for a file with 50,000 payments)."""
MAX_DEPTH = 32
"""Nesting a dataset or rule file never needs more than a handful of levels."""
MAX_INTEGER_DIGITS = 20
_INTEGER = re.compile(r"^[-+]?(0|[1-9][0-9_]*)$")
_FLOAT = re.compile(r"^[-+]?([0-9][0-9_]*\.[0-9_]*|\.[0-9_]+)([eE][-+]?[0-9]+)?$")


def max_load_bytes() -> int:
    """The largest dataset file ``jixiao load`` reads (``JIXIAO_LOAD_MAX_BYTES``, 10 MB)."""
    return env_int("JIXIAO_LOAD_MAX_BYTES", 10 * 1024 * 1024)


class SafeDecimalLoader(yaml.SafeLoader):
    """The YAML loader of every jixiao file (dataset and rule files).

    Numbers with a fraction read as Decimal, never float. What YAML 1.1 would read
    surprisingly, or what could exhaust the machine, is refused with its line and column:
    aliases (``*name``: a few lines can expand to gigabytes), duplicate keys (the last would
    silently win), nesting deeper than ``MAX_DEPTH``, integers longer than
    ``MAX_INTEGER_DIGITS`` digits, impossible dates (2024-02-30, year 0), explicit tags that do
    not fit (``!!int abc``), and texts with NUL, control characters or lone surrogates.
    ``0x3E8``, ``0o17``, ``0b11``, ``16:40`` and ``010`` are texts, not numbers: the validators
    then name them as invalid amounts instead of reading 1000, 15, 3, 1000 and 8.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise _refused(event.start_mark, "不允许使用 YAML 别名（*引用），请把内容直接写出")
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise _refused(mark, f"嵌套超过 {MAX_DEPTH} 层")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        # PyYAML's own, minus a list concatenation per scalar (a large file has 100,000s)
        if kind is yaml.ScalarNode and implicit[0] and not self.yaml_path_resolvers:
            for tag, regexp in _IMPLICIT_BY_FIRST.get(value[:1], _IMPLICIT_ANY):
                if regexp.match(value):
                    return tag
            return self.DEFAULT_SCALAR_TAG
        return super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]

    def compose_mapping_node(self, anchor: Any) -> Any:
        # PyYAML's own, with a plain scalar composed here (most of a large file's nodes)
        start = self.get_event()  # type: ignore[no-untyped-call]
        tag = start.tag
        if tag is None or tag == "!":
            tag = self.resolve(yaml.MappingNode, None, start.implicit)
        node = yaml.MappingNode(tag, [], start.start_mark, None, flow_style=start.flow_style)
        if anchor is not None:
            self.anchors[anchor] = node
        while not self.check_event(yaml.MappingEndEvent):
            key = self._compose_item(node, None)
            node.value.append((key, self._compose_item(node, key)))
        node.end_mark = self.get_event().end_mark  # type: ignore[no-untyped-call]
        if node.tag == self.DEFAULT_MAPPING_TAG and all(
            _plain_scalar(key) and _plain_scalar(value) for key, value in node.value
        ):
            return _BuiltMapping(node, self._construct_flat_mapping)
        return node

    def _compose_item(self, parent: Any, index: Any) -> Any:
        """A key or value: a plain scalar (no anchor, within the depth allowed) as
        ``compose_scalar_node`` composes it, anything else by ``compose_node``."""
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if type(event) is not yaml.ScalarEvent or event.anchor is not None:
            return self.compose_node(parent, index)
        if self._depth >= MAX_DEPTH:
            return self.compose_node(parent, index)
        self.get_event()  # type: ignore[no-untyped-call]
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.resolve(yaml.ScalarNode, event.value, event.implicit)
        marks: tuple[Any, Any] = (event.start_mark, event.end_mark)  # libyaml's or PyYAML's
        return yaml.ScalarNode(tag, event.value, *marks, event.style)

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        if isinstance(node, _BuiltMapping):
            return node.built()
        if isinstance(node, yaml.MappingNode) and all(
            _plain_scalar(key) and _plain_scalar(value) for key, value in node.value
        ):
            return self._construct_flat_mapping(node)
        if isinstance(node, yaml.MappingNode):
            seen: set[Any] = set()
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=True)
                if not isinstance(key, Hashable):
                    raise _refused(key_node.start_mark, "键应为文本")
                if key in seen:
                    raise _refused(key_node.start_mark, f"键“{key}”重复出现（只能写一次）")
                seen.add(key)
        return super().construct_mapping(node, deep=deep)

    def _construct_flat_mapping(self, node: yaml.MappingNode) -> dict[Any, Any]:
        """What ``construct_mapping`` reads from a mapping of scalars (a payment, a line),
        keys first and checked for repeats, without the bookkeeping nested nodes need."""
        keys: dict[Any, None] = {}
        for key_node, _ in node.value:
            key = self._construct_scalar(key_node)
            if key in keys:
                raise _refused(key_node.start_mark, f"键“{key}”重复出现（只能写一次）")
            keys[key] = None
        values = [self._construct_scalar(value) for _, value in node.value]
        return dict(zip(keys, values, strict=True))

    def _construct_scalar(self, node: yaml.ScalarNode) -> Any:
        try:
            return self.yaml_constructors[node.tag](self, node)
        except (ValueError, OverflowError, TypeError) as error:
            raise _unreadable(node, error) from None

    def construct_object(self, node: Any, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, OverflowError, TypeError) as error:
            raise _unreadable(node, error) from None


class _BuiltMapping(yaml.MappingNode):
    """A mapping of scalars read as soon as it is composed, its scalar nodes let go.

    A large file is mostly such mappings (payments): kept as nodes until the whole
    document is composed, with two marks per scalar, they would take ten times the memory
    of what is read. What reading them raises is kept and raised when the constructor
    reaches the mapping, so a file is refused with the same first problem as before.
    """

    def __init__(self, node: yaml.MappingNode, construct: Any) -> None:
        super().__init__(node.tag, [], node.start_mark, node.end_mark, node.flow_style)
        self._value: dict[Any, Any] | None = None
        self._error: Exception | None = None
        try:
            self._value = construct(node)
        except Exception as error:  # raised again, in order, by ``built``
            self._error = error

    def built(self) -> dict[Any, Any]:
        if self._error is not None:
            raise self._error
        assert self._value is not None
        return self._value


def _unreadable(node: Any, error: Exception) -> Exception:
    if isinstance(error, yaml.YAMLError):
        return error
    return _refused(node.start_mark, f"“{_clip(node)}”无法按 {node.tag} 读取")


_FLAT_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "timestamp", "bool", "null")
)


def _plain_scalar(node: Any) -> bool:
    return type(node) is yaml.ScalarNode and node.tag in _FLAT_TAGS


class _Refused(yaml.MarkedYAMLError):
    pass


def _refused(mark: Any, problem: str) -> _Refused:
    return _Refused(problem=problem, problem_mark=mark)


def _clip(node: Any) -> str:
    text = str(node.value) if isinstance(node, yaml.ScalarNode) else "…"
    return text if len(text) <= 30 else f"{text[:27]}…"


def _scalar_text(loader: yaml.SafeLoader, node: yaml.Node) -> str:
    """What ``construct_scalar`` reads, without its two calls for a plain scalar node."""
    if type(node) is yaml.ScalarNode:
        return str(node.value)
    return str(loader.construct_scalar(node))  # type: ignore[arg-type]


def _construct_decimal(loader: yaml.SafeLoader, node: yaml.Node) -> Decimal | str:
    text = _scalar_text(loader, node)
    try:
        return Decimal(text.replace("_", ""))
    except InvalidOperation:
        return text  # the validators name it as an invalid amount


def _construct_int(loader: yaml.SafeLoader, node: yaml.Node) -> int:
    text = str(loader.construct_scalar(node)).replace("_", "")  # type: ignore[arg-type]
    if len(text.lstrip("+-")) > MAX_INTEGER_DIGITS:
        raise _refused(node.start_mark, f"整数有 {len(text)} 位，超过 {MAX_INTEGER_DIGITS} 位")
    if not _INTEGER.match(text):
        raise _refused(node.start_mark, f"“{_clip(node)}”不是十进制整数")
    return int(text)


def _construct_text(loader: yaml.SafeLoader, node: yaml.Node) -> str:
    text = _scalar_text(loader, node)
    if text.isprintable() and len(text) <= TEXT_LENGTH:
        return text  # no control character, surrogate or NUL is printable
    reason = text_problem(text, TEXT_LENGTH)
    if reason is not None:
        raise _refused(node.start_mark, reason)
    return text


def _construct_date(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)  # type: ignore[arg-type]
    except (ValueError, OverflowError):
        raise _refused(node.start_mark, f"“{_clip(node)}”不是有效的日期") from None


SafeDecimalLoader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)
SafeDecimalLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)
SafeDecimalLoader.add_constructor("tag:yaml.org,2002:str", _construct_text)
SafeDecimalLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_date)
# Only plain decimal numbers resolve as numbers (YAML 1.1 would also take 0x3E8, 0o17, 0b11,
# 16:40 and 010 as integers, and 1:20.5 as a float).
SafeDecimalLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if not tag.endswith((":int", ":float"))]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
SafeDecimalLoader.add_implicit_resolver("tag:yaml.org,2002:int", _INTEGER, list("-+0123456789"))
SafeDecimalLoader.add_implicit_resolver("tag:yaml.org,2002:float", _FLOAT, list("-+0123456789."))
_Resolvers = list[tuple[str, re.Pattern[str]]]
_IMPLICIT_ANY: _Resolvers = SafeDecimalLoader.yaml_implicit_resolvers.get(None) or []
_IMPLICIT_BY_FIRST: dict[str, _Resolvers] = {
    first: resolvers + _IMPLICIT_ANY
    for first, resolvers in SafeDecimalLoader.yaml_implicit_resolvers.items()
    if first is not None
}
_DecimalLoader = SafeDecimalLoader  # the name the rule-file readers import


def _libyaml_loader() -> tuple[type[SafeDecimalLoader], type[SafeDecimalLoader]] | None:
    """``SafeDecimalLoader`` with libyaml's scanner and parser, when PyYAML has them.

    Scanning and parsing, most of the time a large file takes, run in C; composing (with
    its refusal of aliases and deep nesting) and constructing stay the Python loader's
    own, so what is read is the same. libyaml refuses some texts the Python scanner
    reads (a ``\\ud800`` escape), and words its errors differently: ``load_yaml`` then
    reads the text again with the Python loader, which names the fault as it always has.
    """
    if not getattr(yaml, "__with_libyaml__", False):
        return None
    from yaml.composer import Composer
    from yaml.constructor import SafeConstructor
    from yaml.cyaml import CParser  # type: ignore[attr-defined]
    from yaml.reader import Reader
    from yaml.resolver import Resolver

    class LibyamlDecimalLoader(CParser, SafeDecimalLoader):
        get_single_node = Composer.get_single_node
        get_node = Composer.get_node
        check_node = Composer.check_node

        def __init__(self, stream: str) -> None:
            if Reader.NON_PRINTABLE.search(stream):
                raise yaml.YAMLError("non-printable")  # the Python reader refuses it
            CParser.__init__(self, stream)
            Composer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)
            self._depth = 0

    class LibyamlComposingLoader(LibyamlDecimalLoader):
        """The same, composing the nodes in C as well (faster, but every node in memory).

        C composes aliases without a word to Python, so ``load_yaml`` gives it only texts
        without a ``*`` (no alias can be written without one), and only texts shorter than
        ``COMPOSE_IN_C_BELOW``; depth is counted where the C
        composer calls back for each node, refused past ``MAX_DEPTH`` as the Python
        composer refuses it, before the C recursion could grow.
        """

        get_single_node = CParser.get_single_node
        get_node = CParser.get_node
        check_node = CParser.check_node

        def descend_resolver(self, current_node: Any, current_index: Any) -> None:
            self._depth += 1
            if self._depth > MAX_DEPTH:
                raise yaml.YAMLError("deep")  # the Python loader names it

        def ascend_resolver(self) -> None:
            self._depth -= 1

    return LibyamlDecimalLoader, LibyamlComposingLoader


LibyamlDecimalLoader, LibyamlComposingLoader = _libyaml_loader() or (None, None)


_YAML_ADVICE = "请检查该处的缩进（只用空格）、冒号和引号"
_YAML_PROBLEMS = (
    (
        "mapping values are not allowed",
        "此处不应出现“键: 值”，可能是缩进不对，或文本中的冒号需加引号",
    ),
    ("cannot start any token", "含有不能出现在此处的字符（如制表符；YAML 只能用空格缩进）"),
    ("could not find expected ':'", "缺少冒号（应写成“键: 值”）"),
    ("expected <block end>", "缩进不一致：同一层的各项应对齐"),
    ("did not find expected key", "缩进不一致，或列表项与键值混在同一层"),
    ("did not find expected '-' indicator", "缩进不一致：列表的各项应以“- ”开头并对齐"),
    ("found unexpected end of stream", "文件意外结束：引号或括号没有闭合"),
    ("found unknown escape character", "双引号文本中有无效的转义（\\ 后的字符）"),
    ("expected ',' or ']'", "方括号列表没有正确闭合"),
    ("expected ',' or '}'", "花括号对象没有正确闭合"),
    ("found undefined tag handle", "不认识的标签（以 ! 开头）"),
    ("could not determine a constructor", "不认识的标签（以 ! 开头）"),
    ("found duplicate anchor", "重复的锚点（&名称）"),
)


def _yaml_problem(error: yaml.MarkedYAMLError) -> str:
    """PyYAML's English problem as a Chinese sentence (and the advice when it is unknown)."""
    english = f"{error.context or ''} {error.problem or ''}"
    reason = next((chinese for key, chinese in _YAML_PROBLEMS if key in english), _YAML_ADVICE)
    return f"YAML 格式错误：{reason}"


@contextmanager
def paused_gc() -> Iterator[None]:
    """Python's cycle collector paused while a large file's objects are built.

    Every few hundred new containers it would walk the ever-growing heap of nodes, dicts and
    models, which all stay alive (more than half of a large load's time), to find no cycle.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def load_yaml(text: str) -> Any:
    """A YAML document read with ``SafeDecimalLoader`` (libyaml's parser where present);
    InputRejected naming line and column."""
    with paused_gc():
        return _load_yaml(text)


def _load_yaml(text: str) -> Any:
    # C composes faster but keeps every node of the document at once (marks included):
    # a large text is composed in Python, each mapping of scalars read as it is composed
    small = len(text) < COMPOSE_IN_C_BELOW and "*" not in text
    fast = LibyamlComposingLoader if small else LibyamlDecimalLoader
    if fast is not None:
        try:
            return yaml.load(text, Loader=fast)
        except (yaml.YAMLError, RecursionError, UnicodeError):
            pass  # refused: the Python loader below names the fault
    try:
        return yaml.load(text, Loader=SafeDecimalLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f"第{mark.line + 1}行第{mark.column + 1}列" if mark else ""
        problem = str(error.problem) if isinstance(error, _Refused) else _yaml_problem(error)
        raise InputRejected([Problem(where, problem)]) from None
    except yaml.YAMLError:
        raise InputRejected([Problem("", f"YAML 格式错误：{_YAML_ADVICE}")]) from None
    except RecursionError:
        raise InputRejected([Problem("", f"嵌套超过 {MAX_DEPTH} 层")]) from None


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
    if len(raw) > max_load_bytes():
        raise InputRejected([Problem("", _too_large(len(raw), max_load_bytes()))])
    with paused_gc():
        document = _parse_yaml(_decode(raw))
        try:
            dataset = Dataset.model_validate(document)
        except ValidationError as error:
            raise InputRejected(problems_from_validation_error(error)) from None
        problems = list(cross_check(dataset))
    if problems:
        raise InputRejected(problems)
    return dataset


def read_dataset(path: Path) -> Dataset:
    return parse_dataset(read_limited(path))


def read_limited(path: Path, what: str = "文件") -> bytes:
    """A dataset or rule file's bytes, refused before reading when it is over the limit."""
    most = max_load_bytes()
    try:
        size = path.stat().st_size
        if size > most:
            raise InputRejected([Problem(str(path), _too_large(size, most))])
        return path.read_bytes()
    except OSError as error:
        raise InputRejected([Problem(str(path), f"无法读取{what}：{error.strerror}")]) from None


def _too_large(size: int, most: int) -> str:
    return (
        f"文件大小 {size / 1048576:.1f} MB，超过上限 {most / 1048576:.1f} MB"
        "（可用环境变量 JIXIAO_LOAD_MAX_BYTES 调整）；请按部门年度拆分"
    )


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
    document = load_yaml(text)
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
    yield from _figure_bounds(dataset)
    yield from _indicator_figures(dataset)
    yield from _goal_references(dataset)
    yield from _basics_rows(dataset)


def _basics_rows(dataset: Dataset) -> Iterator[Problem]:
    """基础信息表: one row per name, and a 其中 row names a total row above it."""
    counts = Counter(row.label for row in dataset.basics)
    seen: set[str] = set()
    for index, row in enumerate(dataset.basics):
        if counts[row.label] > 1:
            yield Problem(f"basics[{index}].label", f"基础信息表项目“{row.label}”重复出现")
        if row.part_of is not None and row.part_of not in seen:
            yield Problem(
                f"basics[{index}].part_of",
                f"“{row.label}”所属的合计行“{row.part_of}”须写在本行之前",
            )
        seen.add(row.label)


def _figure_bounds(dataset: Dataset) -> Iterator[Problem]:
    """Weights, scores and figures within ``jixiao.core.bounds``, as every path checks them."""
    for path, value, bound in _bounded_figures(dataset):
        reason = bound.problem(value)
        if reason is not None:
            yield Problem(path, reason)


def _indicator_figures(dataset: Dataset) -> Iterator[Problem]:
    """The figures of quantitative targets and actuals within ``FIGURE``, as the forms, the
    API and the Excel import read them (``parse_actual``); other misreadings are the
    scoring's findings, not a reason to refuse the file."""
    for index, goal in enumerate(dataset.goals):
        for position, indicator in enumerate(goal.indicators):
            if indicator.kind is not IndicatorKind.quantitative:
                continue
            row = f"goals[{index}].indicators[{position}]"
            texts = {"target": indicator.target, "actual": indicator.actual,
                     "last_year_actual": indicator.last_year_actual}  # fmt: skip
            for k, progress in enumerate(indicator.progress):
                texts[f"progress[{k}].value"] = progress.value
            for field, text in texts.items():
                try:
                    parse_actual(text)
                except FigureOutOfBounds as error:
                    yield Problem(f"{row}.{field}", error.reason)
                except TargetError:
                    continue


def _bounded_figures(dataset: Dataset) -> Iterator[tuple[str, Decimal, NumberBound]]:
    for index, achievement in enumerate(dataset.achievements):
        for k, metric in enumerate(achievement.metrics):
            yield f"achievements[{index}].metrics[{k}].value", metric.value, FIGURE
    for name, value in dataset.evaluation.inputs.items():
        yield f"evaluation.inputs.{name}", value, FIGURE
    for index, goal in enumerate(dataset.goals):
        where = f"goals[{index}]"
        for name, value in goal.level1_weights.items():
            yield f"{where}.level1_weights.{name}", value, WEIGHT
        claimed = goal.claimed
        for field, bound in _CLAIMED_BOUNDS.items():
            value = getattr(claimed, field)
            if value is not None:
                yield f"{where}.claimed.{field}", value, bound
        for name, value in claimed.level1_scores.items():
            yield f"{where}.claimed.level1_scores.{name}", value, SCORE
        for position, indicator in enumerate(goal.indicators):
            row = f"{where}.indicators[{position}]"
            yield f"{row}.weight", indicator.weight, WEIGHT
            if indicator.cost_share is not None:
                yield f"{row}.cost_share", indicator.cost_share, COST_SHARE
            for field in ("assessed_score", "claimed_score"):
                value = getattr(indicator, field)
                if value is not None:
                    yield f"{row}.{field}", value, SCORE


_CLAIMED_BOUNDS = {
    "execution_rate": PERCENT,
    "execution_score": SCORE,
    "total": SCORE,
    "weight_total": FIGURE,
}


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
        yield from _forecast_dates(where, goal.forecasts, dataset.year)
        paths = Counter((i.level1, i.level2, i.level3) for i in goal.indicators)
        for position, indicator in enumerate(goal.indicators):
            key = (indicator.level1, indicator.level2, indicator.level3)
            if paths[key] > 1:
                yield Problem(
                    f"{where}.indicators[{position}]", f"指标“{'/'.join(key)}”在同一目标中重复"
                )


def _forecast_dates(where: str, forecasts: list[ForecastEntry], year: int) -> Iterator[Problem]:
    """One stated 全年预计执行数 per date, within the year (storage holds one per date)."""
    counts = Counter(f.date for f in forecasts)
    for k, forecast in enumerate(forecasts):
        path, day = f"{where}.forecasts[{k}].date", forecast.date.isoformat()
        if forecast.date.year != year:
            yield Problem(path, f"全年预计执行数的截至日期 {day} 不在 {year} 年度内")
        if counts[forecast.date] > 1:
            yield Problem(path, f"截至日期 {day} 的全年预计执行数在同一目标中重复")


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
    """Every amount to the 分 and within ``jixiao.core.bounds.AMOUNT`` once in 元."""
    allowed = _PLACES_ALLOWED[dataset.unit]
    to_yuan = TEN_THOUSAND if dataset.unit is AmountUnit.wan else ONE
    # the payments, most of a large file, walked as they are rather than dumped first
    small_parts = {"budget": {"totals", "projects", "lines"}}
    document = dataset.model_dump(mode="python", include=small_parts)
    payments = dataset.budget.payments
    amounts = chain(
        _walk(document, ""),
        chain.from_iterable(
            _walk(p.amount, f"budget.payments[{n}].amount") for n, p in enumerate(payments)
        ),
    )
    for path, value in amounts:
        if value.copy_abs() > AMOUNT.most:  # in any unit: no need to multiply a huge figure
            yield Problem(path, _out_of_range(value, dataset.unit))
            continue
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and -exponent > allowed:
            yield Problem(
                path, f"金额 {value} {dataset.unit.value} 的精度超过 1 分（最多 {allowed} 位小数）"
            )
        elif AMOUNT.problem(value * to_yuan) is not None:
            yield Problem(path, _out_of_range(value, dataset.unit))


def _out_of_range(value: Decimal, unit: AmountUnit) -> str:
    most = AMOUNT.most if unit is AmountUnit.yuan else AMOUNT.most / TEN_THOUSAND
    shown = shown_number(value)
    return f"金额 {shown} {unit.value} 超出允许范围（绝对值最大为 {most:,f} {unit.value}）"


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
    evaluation = document.get("evaluation", {})
    for name in ("inputs", "not_applicable"):  # stored unordered: the same text on every database
        if name in evaluation:
            evaluation[name] = dict(sorted(evaluation[name].items()))
    return yaml.dump(
        _plain(document), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=4096
    )


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {(k.value if isinstance(k, Enum) else k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value
