"""A finding: what a check found, how badly, and the figures involved."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from jixiao.core.vocabulary import Severity


@dataclass(frozen=True)
class Finding:
    """One result of a check: what is wrong, how badly, and the figures involved."""

    id: str
    severity: Severity
    message: str
    figures: Mapping[str, Decimal] = field(default_factory=dict)
    location: str = ""
    subject: str = ""
    """What the finding is about, as the 审核意见 groups it: "部门整体", "收支情况", or a
    project ("LW23-P04 国土空间总体规划编制"); empty when the check does not say."""
