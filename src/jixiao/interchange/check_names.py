"""The Chinese name of each check (``jixiao/rules/check-names.yaml``), shown where a list
names the check a finding comes from: the check's id is the program's, not a reader's word.

A malformed file is InputRejected with a Chinese problem.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import cache
from importlib.resources import files

from jixiao.interchange.dataset_file import load_yaml
from jixiao.interchange.problems import InputRejected, Problem

FORMAT = "jixiao-check-names/1"
PACKAGED = "check-names"


def parse_check_names(text: str, where: str = "检查名称") -> dict[str, str]:
    document = load_yaml(text)
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise InputRejected([Problem(where, f"检查名称文件应以 format: {FORMAT} 开头")])
    names = document.get("names")
    if not isinstance(names, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in names.items()
    ):
        raise InputRejected([Problem(f"{where}：names", "应为“检查编号: 名称”的列表")])
    return {key: value.strip() for key, value in names.items()}


@cache
def packaged_check_names() -> Mapping[str, str]:
    entry = files("jixiao") / "rules" / f"{PACKAGED}.yaml"
    return parse_check_names(entry.read_text(encoding="utf-8"), f"{PACKAGED}.yaml")


def check_name(check_id: str) -> str:
    """The check's Chinese name; a check without one keeps its id (a test forbids it)."""
    return packaged_check_names().get(check_id, check_id)


PATH = re.compile(r"[a-z_]+(?:\[[^\]]*\])?(?:\.[a-z_]+(?:\[[^\]]*\])?)*")
STEP = re.compile(r"([a-z_]+)(?:\[([^\]]*)\])?")
PATH_WORDS: Mapping[str, object] = {
    "budget": "",
    "lines": "预算行",
    "projects": "项目",
    "indicators": "绩效指标",
    "achievements": "主要工作成效",
    "metrics": "指标",
}
"""The parts of a finding's location the checks write as a path (``budget.lines[L01]``,
``indicators[3]``): the words a reader sees for them."""


def location_text(
    location: str,
    words: Mapping[str, object] = PATH_WORDS,
    item: Callable[[int], str] = lambda n: f"第{n}项",
) -> str:
    """A location the checks wrote as a path, in words: 预算行 L01, 绩效指标第4项; any other
    location (a sheet and row, 总得分) as it is. ``words`` and ``item`` may be translated."""
    if not PATH.fullmatch(location):
        return location
    parts = []
    for name, key in STEP.findall(location):
        word = str(words.get(name, name))
        if key.isdigit():
            word += item(int(key) + 1)
        elif key:
            word += f" {key}"
        if word:
            parts.append(word)
    return " ".join(parts)


__all__ = ["check_name", "location_text", "packaged_check_names", "parse_check_names"]
