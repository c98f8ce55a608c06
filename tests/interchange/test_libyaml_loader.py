"""With libyaml present, YAML is scanned and parsed in C; what is read, and what is refused
with which message, is the same as with the pure-Python loader."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from jixiao.cli import demo_dataset_path
from jixiao.interchange import dataset_file
from jixiao.interchange.dataset_file import (
    LibyamlComposingLoader,
    LibyamlDecimalLoader,
    SafeDecimalLoader,
    load_yaml,
)
from jixiao.interchange.problems import InputRejected
from tests.hardening.test_dataset_files import CASES

pytestmark = pytest.mark.skipif(LibyamlDecimalLoader is None, reason="PyYAML without libyaml")

SYNTAX_ERRORS = [
    "unit: 万元\ndepartment: [unclosed\n",
    "unit: 万元\ndepartment:\n\tcode: x\n",
    "unit: 万元\ndepartment: a: b\n",
    'unit: 万元\nsource: "\\q"\n',
    "a: 1\n\x07b: 2\n",
    "a: &x 1\nb: *x\n",
    "a: &x 1\nb: &x 2\n",  # no `*`: composed in C
    "a: {b: 1, b: 2}\n",
    "- {line: a, amount: 1}\n- {line: b, line: c}\n",
    "- {line: a, amount: 1, line: x}\n- {b: [1, {c: 2, c: 3}]}\n- {d: 0x}\n",
    "- {date: 2023-02-30}\n- [1, 2\n",  # a bad date, then a syntax error later on
    "a: !!int 1.5\n",
    "x: " + "[" * 33 + "]" * 33 + "\n",
    "<<: {a: 1}\nb: 2\n",  # a merge key, even without an alias
]

ACCEPTED = [
    "x: " + "[" * 31 + "]" * 31 + "\n",  # 32 levels, the root mapping counted
    "a: &x [1, 2]\nb: 3\n",  # an anchor nothing refers to
    "- {line: a, amount: 1.50, date: 2023-01-31, refund: false, voucher: ~}\n",
]


def _outcome(text: str, fast: bool, monkeypatch: pytest.MonkeyPatch, large: bool = False) -> Any:
    """What ``load_yaml`` returns, or the problems it refuses the text with (``large``: as if
    the text were long enough to be composed in Python, mappings read as composed)."""
    with monkeypatch.context() as patch:
        if large:
            patch.setattr(dataset_file, "COMPOSE_IN_C_BELOW", 0)
        if not fast:
            patch.setattr(dataset_file, "LibyamlDecimalLoader", None)
            patch.setattr(dataset_file, "LibyamlComposingLoader", None)
        try:
            return load_yaml(text)
        except InputRejected as rejected:
            return [str(problem) for problem in rejected.problems]


def test_the_demo_reads_the_same_with_both_loaders() -> None:
    text = demo_dataset_path().read_text(encoding="utf-8")
    fast = yaml.load(text, Loader=LibyamlDecimalLoader)
    assert fast == yaml.load(text, Loader=SafeDecimalLoader)
    assert fast == yaml.load(text, Loader=LibyamlComposingLoader)
    assert isinstance(fast, dict) and fast["year"] == 2023


@pytest.mark.parametrize("text", ACCEPTED)
def test_what_the_python_loader_accepts_reads_the_same_composed_in_c(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = yaml.load(text, SafeDecimalLoader)
    assert yaml.load(text, Loader=LibyamlComposingLoader) == expected
    assert _same(text, monkeypatch) == expected


def _same(text: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    fast = _outcome(text, True, monkeypatch)
    assert fast == _outcome(text, False, monkeypatch)
    assert fast == _outcome(text, True, monkeypatch, large=True)
    if "*" not in text:  # C is never given a text that could hold an alias
        assert _direct(text, LibyamlComposingLoader) == _direct(text, LibyamlDecimalLoader)
    return fast


def _direct(text: str, loader: Any) -> Any:
    """What ``loader`` reads, or its error: composed in C, every node is read only once the
    document is composed; composed in Python, mappings of scalars as they are composed."""
    try:
        return yaml.load(text, Loader=loader)
    except (yaml.YAMLError, ValueError, TypeError) as error:
        # what is refused while reading the nodes words the same; what is refused while
        # composing (syntax, anchors, depth) is worded by load_yaml's Python reading
        if isinstance(error, dataset_file._Refused) and "嵌套" not in str(error):
            return f"{type(error).__name__}: {error}"
        return "refused while composing"


@pytest.mark.parametrize("case", CASES)
def test_a_hostile_file_gets_the_same_answer_from_both_loaders(
    case: str, small_year_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    old, new, _ = CASES[case]  # some are refused by the YAML reader, others by validation
    _same(small_year_text.replace(old, new, 1), monkeypatch)


@pytest.mark.parametrize("text", SYNTAX_ERRORS)
def test_a_syntax_error_gets_the_same_chinese_message_from_both_loaders(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert isinstance(_same(text, monkeypatch), list)


def test_the_small_year_reads_the_same_with_both_loaders(
    small_year_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert isinstance(_same(small_year_text, monkeypatch), dict)
