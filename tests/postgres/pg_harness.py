"""Constants shared by the PostgreSQL tests (a module of its own: every test folder has a
conftest.py, so `from conftest import` would be ambiguous)."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
AS_OF = "2025-12-01"
