"""Writes on production plans. Split by stage: `flow` (submit, approve, reject, withdraw, re-open);
the plan's build, re-run, pins and splits live beside it."""
