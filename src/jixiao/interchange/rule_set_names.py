"""The Chinese name of a shipped rule set (``jixiao/rules/<id>.yaml``, its ``name``): where a
page or a list shows which rules a year uses, the reader reads the name, not the file's id."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from jixiao.interchange.dataset_file import load_yaml


@cache
def shipped_rule_set_name(rule_set_id: str) -> str | None:
    """The name of the shipped rule set ``rule_set_id``; None when none is shipped by that id."""
    entry = files("jixiao") / "rules" / f"{rule_set_id}.yaml"
    if "/" in rule_set_id or not entry.is_file():
        return None
    document = load_yaml(entry.read_text(encoding="utf-8"))
    if not isinstance(document, dict) or not isinstance(document.get("name"), str):
        return None
    return str(document["name"]).strip() or None


__all__ = ["shipped_rule_set_name"]
