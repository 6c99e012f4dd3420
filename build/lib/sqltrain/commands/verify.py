"""`sqltrain verify --as-of D [--model M] [--sample N]`: the time-travel test (docs/verify.md)."""

from __future__ import annotations

import click

from ._options import BIGINT_MAX, OutputPath, as_of_option, project_options, wait_lock_option


@click.command("verify")
@as_of_option()
@click.option("--model", "-m", default="churn_training", show_default=True, help="Training-set model to verify.")
@click.option("--sample", type=click.IntRange(1, BIGINT_MAX), default=None, metavar="N",
              help="Keep only N entities (the model's entity keys) in both copies: faster on large warehouses.")
@click.option("--json", "json_path", type=OutputPath(directory=False), default=None,
              help="Also write the report as JSON to this file.")
@project_options
@wait_lock_option
def command(as_of, model, sample, json_path, project):
    """Prove MODEL as of a date leak-free: rebuild it on a copy of the warehouse from which everything
    recorded after the date is deleted, and compare row by row.

    Exit 0 when both builds are identical, 1 when they differ (the differing columns, example rows
    and the upstream models where the difference starts are printed), 2 on bad input.
    """
    import json

    from ..console import progress_display, show
    from ..timetravel import verify
    from ..timetravel.render import report_renderable, to_json

    with progress_display(f"verify {model} as of {as_of}") as (step, _on_node):
        report = verify(project, as_of, model, sample=sample, step=step)
    show(report_renderable(report))
    if json_path is not None:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps(to_json(report), indent=2, default=str) + "\n")
    return report.exit_code
