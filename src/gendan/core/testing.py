"""Shared constants for the test suite (importable from any test module, unlike conftest.py)."""

TEST_PASSWORD = "Factory-Floor-2026"
