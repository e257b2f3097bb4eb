"""Writes of the issue register: one module per stage (register, breakdowns, reminders)."""

from .breakdown import breakdown_sync
from .common import next_number
from .register import (
    EDITABLE,
    issue_accept,
    issue_close,
    issue_note_add,
    issue_open,
    issue_reopen,
    issue_resolve,
    issue_update,
    open_issue_with,
)
from .reminders import issues_remind
from .sources import issue_from, issue_open_from, issue_solve_from

__all__ = [
    "EDITABLE",
    "breakdown_sync",
    "issue_accept",
    "issue_close",
    "issue_from",
    "issue_note_add",
    "issue_open",
    "issue_open_from",
    "issue_solve_from",
    "issue_reopen",
    "issue_resolve",
    "issue_update",
    "issues_remind",
    "next_number",
    "open_issue_with",
]
