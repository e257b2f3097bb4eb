"""Writes of escalation: the set-up (ladders, levels, rules) and an escalation's life."""

from .config import ladder_save, level_save, rule_save, set_archived
from .flow import (
    default_ladder,
    escalation_acknowledge,
    escalation_raise,
    escalations_climb,
    escalations_close,
    level_people,
)
from .rules import escalations_by_rule, escalations_tick, issue_facts, matches

__all__ = [
    "default_ladder",
    "escalation_acknowledge",
    "escalation_raise",
    "escalations_by_rule",
    "escalations_climb",
    "escalations_close",
    "escalations_tick",
    "issue_facts",
    "ladder_save",
    "level_people",
    "level_save",
    "matches",
    "rule_save",
    "set_archived",
]
