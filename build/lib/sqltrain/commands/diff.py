"""`sqltrain diff A B`: two snapshots compared row by row on (entity, cutoff)."""

from __future__ import annotations

from pathlib import Path

import click

from ._options import FiniteFloatRange, OutputPath


@click.command("diff")
@click.argument("a", metavar="A")
@click.argument("b", metavar="B")
@click.option("--model", "-m", default=None,
              help="Read A and B as as-of dates of this model's snapshots (else they are snapshot directories).")
@click.option("--snapshots", "snapshots_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("snapshots"),
              show_default=True, help="Where the model's snapshots are, with --model.")
@click.option("--tolerance", type=FiniteFloatRange(min=0), default=1e-9, show_default=True,
              help="Floating-point values may differ by this much, relative to their size (absolute below 1).")
@click.option("--json", "json_path", type=OutputPath(directory=False), default=None,
              help="Also write the comparison as JSON to this file.")
def command(a, b, model, snapshots_dir, tolerance, json_path):
    """Compare snapshots A and B: rows only in one, and per column the rows whose value changed.

    A and B are snapshot directories (OUT/MODEL/as_of=D/), or as-of dates with --model. Both are
    checked against their manifests' SHA-256 first. Exit 0 same, 1 different, 2 bad input.
    """
    import json

    from ..console import show
    from ..render import snapshot_diff_json, snapshot_diff_renderables
    from ..snapshot_diff import diff
    from ..training_set import load

    if model:
        left, right = load(model, a, snapshots_dir), load(model, b, snapshots_dir)
    else:
        left, right = _directory(a, "A"), _directory(b, "B")
    result = diff(left, right, tolerance=tolerance)
    show(*snapshot_diff_renderables(result))
    if json_path is not None:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps(snapshot_diff_json(result), indent=2) + "\n")
    return result.exit_code


def _directory(value: str, which: str):
    from ..errors import UsageError
    from ..training_set import Snapshot

    import os

    path = Path(value)
    if not os.path.isfile(path / "manifest.json"):  # (Path.is_file raises on a name too long)
        raise UsageError(f"{which} = {value}: not a snapshot directory (no manifest.json)",
                         "pass OUT/MODEL/as_of=D/ directories, or as-of dates with --model M")
    return Snapshot(path)
