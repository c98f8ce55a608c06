"""The Chinese name of each check (``jixiao/rules/check-names.yaml``), shown where a list
names the check a finding comes from: the check's id is the program's, not a reader's word.

A malformed file is InputRejected with a Chinese problem.
"""

from __future__ import annotations

from collections.abc import Mapping
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


__all__ = ["check_name", "packaged_check_names", "parse_check_names"]
