"""An indicator's direction: whether more is better (≥) or less is better (≤) (pure).

The operator of the 年度指标值 says it: ≥ and > higher is better, ≤ and < lower is better.
A quantitative target written without one (“5%”) reads as “=” and is scored higher-is-better
— wrong for a control-type rate (投诉率 5% means at most 5%). Where the operator is missing,
the direction is inferred from the indicator's name through a vocabulary held as data
(``jixiao/rules/indicator-direction.yaml``): a name containing a lower-is-better word
(控制率, 投诉率, 成本 …) makes the target “≤”. Lower-is-better words win over higher-is-better
ones (“成本控制率” is lower-is-better although it ends in 率). Every inference is reported,
so that the unit can write the operator.
"""

from __future__ import annotations

from dataclasses import dataclass

from jixiao.core.indicator_library import Direction
from jixiao.core.targets import TargetError, normalise_text, parse_quantity

_WORDS = {Direction.higher_is_better: "越高越好", Direction.lower_is_better: "越低越好"}


@dataclass(frozen=True)
class DirectionVocabulary:
    """Words of indicator names that tell the direction."""

    lower_is_better: tuple[str, ...]
    higher_is_better: tuple[str, ...] = ()

    def infer(self, name: str) -> tuple[Direction, str] | None:
        """The direction a name implies and the word that implies it; None when none does."""
        for direction, words in (
            (Direction.lower_is_better, self.lower_is_better),
            (Direction.higher_is_better, self.higher_is_better),
        ):
            word = next((w for w in words if w in name), None)
            if word is not None:
                return direction, word
        return None


def has_operator(target: str) -> bool:
    """False for a bare quantity (“5%”, “30天”): a target whose operator is left out."""
    try:
        return parse_quantity(normalise_text(target)) is None
    except TargetError:
        return True


@dataclass(frozen=True)
class Inferred:
    """A target given the operator its indicator's name implies."""

    target: str
    """The target with the operator (“≤5%”)."""
    direction: Direction
    word: str

    def explain(self, path: str, written: str) -> str:
        return (
            f"“{path}”年度指标值“{written}”未写计算符号，按指标名称中的“{self.word}”推定为"
            f"{_WORDS[self.direction]}（{self.direction.operator.value}），按“{self.target}”计分；"
            f"请在年度指标值中写明计算符号。"
        )


def inferred_target(
    target: str, name: str, vocabulary: DirectionVocabulary
) -> Inferred | None:
    """The target with an inferred ≤ where it has no operator and the name says lower is
    better; None otherwise (a bare quantity already scores as higher-is-better)."""
    if not target.strip() or has_operator(target):
        return None
    found = vocabulary.infer(name)
    if found is None or found[0] is not Direction.lower_is_better:
        return None
    direction, word = found
    return Inferred(f"{direction.operator.value}{target.strip()}", direction, word)


__all__ = ["DirectionVocabulary", "Inferred", "has_operator", "inferred_target"]
