"""README's picture of the cycle: the SVG reads as XML and names every step, and every
command and page the table under it names exists."""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.urls import Resolver404, resolve

from jixiao.cli import _parser

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
SECTION = README.split("## 全过程", 1)[1].split("\n## ", 1)[0]
STEPS = ("事前绩效评估", "指标库", "目标申报", "审核", "双监控", "绩效自评", "报告", "抽查",
         "财政评价", "结果应用", "整改", "信息公开", "下一年度预算")  # fmt: skip
SAMPLE = {"<部门>": "liwan-ghzy", "<年度>": "2024", "<项目>": "LW24-P16"}


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(actions[0].choices) if actions else {}


def test_the_picture_is_an_svg_with_every_step() -> None:
    assert "](docs/cycle.svg)" in SECTION
    svg = ROOT / "docs" / "cycle.svg"
    tree = ElementTree.parse(svg)
    texts = "".join(t.text or "" for t in tree.iter("{http://www.w3.org/2000/svg}text"))
    for step in STEPS:
        assert step in texts, step


def test_every_command_named_exists() -> None:
    named = re.findall(r"`jixiao ([a-z-]+(?: [a-z-]+)?)((?: --[a-z-]+ [a-z-]+)?)`", SECTION)
    assert len(named) >= 9
    commands = _subcommands(_parser())
    for words, option in named:
        first, _, second = words.partition(" ")
        assert first in commands, first
        parser = commands[first]
        if second and _subcommands(parser):
            assert second in _subcommands(parser), words
        elif second:  # an argument: `jixiao template goals`
            assert second in parser.format_help(), words
        if option:
            flag, value = option.split()
            action = next(a for a in parser._actions if flag in a.option_strings)
            assert action.choices is None or value in action.choices, option
            assert value in (action.help or "") or action.choices, option


@pytest.mark.parametrize("path", sorted(set(re.findall(r"`(/[^`]*/)`", SECTION))))
def test_every_page_named_exists(path: str) -> None:
    for placeholder, value in SAMPLE.items():
        path = path.replace(placeholder, value)
    try:
        resolve(path)
    except Resolver404:  # pragma: no cover - the failure message
        pytest.fail(f"README names {path}, which no page serves")
