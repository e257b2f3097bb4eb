"""Purchasing's writes, one module per stage: requirements (R-3.1); common numbering."""

from .requirements import (
    OPEN_RUN,
    requirements_fingerprint,
    requirements_refresh,
    requirements_request,
    requirements_run,
)

__all__ = [
    "OPEN_RUN",
    "requirements_fingerprint",
    "requirements_refresh",
    "requirements_request",
    "requirements_run",
]
