"""Punctuation of generated Chinese text: one full stop, quotes nested as they should be.

GB/T 15834《标点符号用法》: a quotation inside a quotation takes single quotes (‘’), so a
name that already holds “” is quoted as “‘房地一体’确权登记”, never ““房地一体”确权登记”.
A text that already ends a sentence (。！？…) gets no second full stop.
"""

from __future__ import annotations

SENTENCE_ENDS = ("。", "！", "？", "…", "：")
"""Marks that already close a sentence (a colon closes a lead-in such as “主要职责是：”)."""
_INNER = str.maketrans({"“": "‘", "”": "’"})


def quoted(text: str) -> str:
    """“text”, the double quotes inside it turned into single ones."""
    return f"“{text.translate(_INNER)}”"


def sentence(text: str) -> str:
    """``text`` ending in exactly one full stop: "甲" → "甲。", "甲。" → "甲。"."""
    stripped = text.rstrip()
    if not stripped:
        return ""
    if stripped.endswith(SENTENCE_ENDS):
        return stripped
    return f"{stripped.rstrip('；，、,;')}。"
