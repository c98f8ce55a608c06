"""Break a document title into balanced lines at word boundaries.

A 2号 title holds at most 20 characters a line in the 156 mm type area. Published titles
break where a reader pauses: after the year (“2023年度”), after the organisation's full
name (…局, …分局, …委员会, …办公室, …中心), before the kind of document (部门整体…,
预算绩效…), before a bracketed addition (“（截至2023年7月31日）”), never inside a word,
a date or a number. Among the breaks that fit, the best boundaries win, then the most
even line lengths.
"""

from __future__ import annotations

import itertools
import math
import re

TITLE_LINE_WIDTH = 20
"""Characters of 2号 (22 pt) in a 156 mm line: 442 pt ÷ 22 pt."""

ORGANISATION_ENDINGS = (
    "分局", "局", "委员会", "办公室", "中心", "厅", "委", "院", "办", "署", "站", "所", "馆", "队",
)  # fmt: skip
DOCUMENT_KINDS = ("部门整体", "预算绩效", "项目支出", "财政支出", "关于")
"""Words that open the name of the document after the organisation's name."""
NOT_A_WORD_END = "和与及、的分"
"""A character after which an organisation ending is the start of the next word."""

_UNBREAKABLE = re.compile(r"\d+年(?:\d+月(?:\d+日)?)?|\d+月\d+日|[0-9A-Za-z.,%~\-]+")
"""Dates (2023年7月31日, 7月31日) and numbers or Latin words: never broken inside."""

# Cost of a break at each kind of boundary; a character-only break is the last resort.
_BEST, _GOOD, _FALLBACK = 0, 10, 100


def character_width(character: str) -> float:
    """Width in 2号 characters: full width for Chinese; 0.65 for ASCII, the widest
    digit among the Latin faces that print it (Times New Roman 0.5, DejaVu Serif 0.64)."""
    return 0.65 if ord(character) < 0x2E80 else 1.0


def text_width(text: str) -> float:
    return sum(character_width(c) for c in text)


def _protected(title: str) -> set[int]:
    """Positions a line may not start at: inside a date, a number or a Latin word."""
    inside: set[int] = set()
    for match in _UNBREAKABLE.finditer(title):
        inside.update(range(match.start() + 1, match.end()))
    return inside


def _break_costs(title: str) -> dict[int, int]:
    """Position (a line starts there) → cost of breaking before it."""
    protected = _protected(title)
    costs: dict[int, int] = {}
    for position in range(1, len(title)):
        if position in protected or title[position] in "，。、；：）”》":
            continue
        if title[position - 1] in "（“《":
            continue
        costs[position] = _FALLBACK
    for position in list(costs):
        before, after = title[:position], title[position:]
        if before.endswith("年度") or after.startswith(("（", *DOCUMENT_KINDS)):
            costs[position] = _BEST
        elif _ends_an_organisation(before, after):
            costs[position] = _GOOD
    return costs


def _ends_an_organisation(before: str, after: str) -> bool:
    for ending in ORGANISATION_ENDINGS:
        if not before.endswith(ending) or len(before) <= len(ending):
            continue
        if before[-len(ending) - 1] in NOT_A_WORD_END:
            continue  # “…资源分局” is one word with “分局”, not “…资源分” + “局”
        if any(after.startswith(e) for e in ORGANISATION_ENDINGS):
            continue  # “…区分/局”: the ending goes on
        return True
    return False


def title_lines(title: str, width: float = TITLE_LINE_WIDTH) -> list[str]:
    """The title in as few lines as fit ``width``, broken at the best boundaries.

    >>> title_lines("2023年度广州市规划和自然资源局荔湾区分局部门整体支出绩效自评报告")
    ['2023年度广州市规划和自然资源局荔湾区分局', '部门整体支出绩效自评报告']
    """
    title = title.strip()
    if text_width(title) <= width:
        return [title] if title else []
    costs = _break_costs(title)
    least = math.ceil(text_width(title) / width)
    # One more line is better than a break inside a word; a longer title than that
    # breaks between any two characters.
    word_breaks = {p: cost for p, cost in costs.items() if cost < _FALLBACK}
    for allowed, counts in ((word_breaks, (least, least + 1)), (costs, range(least, len(title)))):
        for count in counts:
            best = _best_breaks(title, allowed, count - 1, width)
            if best is not None:
                return _split(title, best)
    return [title]


def _split(title: str, breaks: tuple[int, ...]) -> list[str]:
    edges = (0, *breaks, len(title))
    return [title[a:b] for a, b in itertools.pairwise(edges)]


def _best_breaks(
    title: str, costs: dict[int, int], count: int, width: float
) -> tuple[int, ...] | None:
    best: tuple[float, tuple[int, ...]] | None = None
    for breaks in itertools.combinations(sorted(costs), count):
        widths = [text_width(line) for line in _split(title, breaks)]
        if max(widths) > width:
            continue
        score = sum(costs[b] for b in breaks) + max(widths) - min(widths)
        if best is None or score < best[0]:
            best = (score, breaks)
    return None if best is None else best[1]
