"""Errors that services raise and views/API turn into messages for the user."""

from django.core.exceptions import ValidationError  # re-exported: services raise it for bad input

__all__ = ["ValidationError", "WorkflowConflict", "InsufficientStock"]


class WorkflowConflict(Exception):
    """Someone else changed the object first; the caller lost the race and changed nothing."""


class InsufficientStock(ValidationError):
    """A stock movement would take a balance below zero."""
