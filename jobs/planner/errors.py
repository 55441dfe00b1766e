"""The planner's one user-facing error: input it cannot plan from (the API answers 400)."""

from __future__ import annotations


class PlannerInputError(ValueError):
    """User input the planner cannot use; `field` names it, the message says why."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
