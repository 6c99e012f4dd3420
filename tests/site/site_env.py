"""Names the review-site tests and their conftest share (a module of its own: `from conftest import`
is ambiguous when pytest runs several test folders, each with a conftest.py)."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

AS_OFS = ("2025-03-01", "2025-06-01")  # two snapshots: the second has drift and a previous link


def _run_cli_status(argv: list[str]) -> tuple[int, str]:
    """``sqltrain`` in-process: (exit status, what it printed on stdout and stderr)."""
    import io
    from contextlib import redirect_stderr, redirect_stdout

    from sqltrain.cli import main

    # sqltrain's rich consoles write to whatever sys.stdout / sys.stderr are at print time
    buffer = io.StringIO()
    with redirect_stdout(buffer), redirect_stderr(buffer):
        status = main(argv)
    return status, buffer.getvalue()
