"""Punctuation of generated text: quotes nested as GB/T 15834 asks, one full stop."""

from __future__ import annotations

import pytest

from jixiao.core.wording import quoted, sentence


def test_it_turns_the_quotes_inside_a_quoted_name_into_single_quotes() -> None:
    assert quoted("“房地一体”确权登记") == "“‘房地一体’确权登记”"
    assert quoted("违法用地图斑整治") == "“违法用地图斑整治”"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("年内未能全部完成", "年内未能全部完成。"),
        ("年内未能全部完成。", "年内未能全部完成。"),
        ("已建立机制；", "已建立机制。"),
        ("主要职责是：", "主要职责是："),
        ("是否完成？", "是否完成？"),
        ("  ", ""),
    ],
)
def test_it_closes_a_sentence_exactly_once(text: str, expected: str) -> None:
    assert sentence(text) == expected
