"""What one import may change: the rule the person's role gives it (the web's
``permissions.import_rights``), applied to the import's plan before anything is written."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass


@dataclass(frozen=True)
class ImportRights:
    goals: frozenset[str | None] | None
    """The goals (with their indicators, self-evaluation and progress) that may change, by
    project code; None stands for the department goal. None: every goal."""
    budget: bool = True
    """Budget lines, adjustments, the ledger and the projects themselves."""

    @classmethod
    def anything(cls) -> ImportRights:
        """The command line's: whoever runs it owns the server."""
        return cls(goals=None, budget=True)

    @classmethod
    def own_projects(cls, codes: Collection[str]) -> ImportRights:
        """A 业务科室's: the goals of its own projects, nothing else."""
        return cls(goals=frozenset(codes), budget=False)

    def may_change_goal(self, project: str | None) -> bool:
        return self.goals is None or project in self.goals
