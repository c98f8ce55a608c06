"""With libyaml present, YAML is scanned and parsed in C; what is read, and what is refused
with which message, is the same as with the pure-Python loader."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from jixiao.cli import demo_dataset_path
from jixiao.interchange import dataset_file
from jixiao.interchange.dataset_file import LibyamlDecimalLoader, SafeDecimalLoader, load_yaml
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
]


def _outcome(text: str, fast: bool, monkeypatch: pytest.MonkeyPatch) -> Any:
    """What ``load_yaml`` returns, or the problems it refuses the text with."""
    with monkeypatch.context() as patch:
        if not fast:
            patch.setattr(dataset_file, "LibyamlDecimalLoader", None)
        try:
            return load_yaml(text)
        except InputRejected as rejected:
            return [str(problem) for problem in rejected.problems]


def test_the_demo_reads_the_same_with_both_loaders() -> None:
    text = demo_dataset_path().read_text(encoding="utf-8")
    fast = yaml.load(text, Loader=LibyamlDecimalLoader)
    assert fast == yaml.load(text, Loader=SafeDecimalLoader)
    assert isinstance(fast, dict) and fast["year"] == 2023


def _same(text: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    fast = _outcome(text, True, monkeypatch)
    assert fast == _outcome(text, False, monkeypatch)
    return fast


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
