"""The indicator-direction vocabulary (``jixiao/rules/indicator-direction.yaml``) as data.

``load_direction_vocabulary(path=None)`` reads the packaged file, or another file of the same
format (``format: jixiao-indicator-direction/1``, lists ``lower_is_better`` and
``higher_is_better`` of words); a malformed file is InputRejected with a Chinese problem.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from jixiao.core.direction import DirectionVocabulary
from jixiao.interchange.dataset_file import load_yaml
from jixiao.interchange.problems import InputRejected, Problem

FORMAT = "jixiao-indicator-direction/1"
PACKAGED = "indicator-direction"


def _words(document: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    words = document.get(key, [])
    if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
        raise InputRejected([Problem(f"{where}：{key}", "应为词语列表（每项一个非空词语）")])
    return tuple(w.strip() for w in words)


def parse_direction_vocabulary(text: str, where: str = "指标方向词表") -> DirectionVocabulary:
    document = load_yaml(text)
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise InputRejected([Problem(where, f"指标方向词表应以 format: {FORMAT} 开头")])
    return DirectionVocabulary(
        lower_is_better=_words(document, "lower_is_better", where),
        higher_is_better=_words(document, "higher_is_better", where),
    )


@cache
def _packaged() -> DirectionVocabulary:
    entry = files("jixiao") / "rules" / f"{PACKAGED}.yaml"
    return parse_direction_vocabulary(entry.read_text(encoding="utf-8"), f"{PACKAGED}.yaml")


def load_direction_vocabulary(path: Path | None = None) -> DirectionVocabulary:
    """The packaged vocabulary, or the one in ``path``."""
    if path is None:
        return _packaged()
    return parse_direction_vocabulary(Path(path).read_text(encoding="utf-8-sig"), Path(path).name)


__all__ = ["load_direction_vocabulary", "parse_direction_vocabulary"]
