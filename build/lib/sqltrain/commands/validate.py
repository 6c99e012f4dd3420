"""`sqltrain validate --as-of D [--model M]`: the quality gate alone, with its report."""

from __future__ import annotations

from pathlib import Path

import click

from ._options import OutputPath, as_of_option, project_options, wait_lock_option


@click.command("validate")
@as_of_option()
@click.option("--model", "-m", default="churn_training", show_default=True, help="Training-set model to validate.")
@click.option("--report-dir", type=OutputPath(directory=True), default=None,
              help="Where validation.json and the Data Docs go (default: target/sqltrain/validation/MODEL/as_of=D/).")
@click.option("--snapshots-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where earlier snapshots are, for drift (default: snapshots/).")
@project_options
@wait_lock_option
def command(as_of, model, report_dir, snapshots_dir, project):
    """Build MODEL as of a date and run the Great Expectations quality gate on it (no export).

    Exit 0 when every expectation holds, 1 when one fails (the failures are listed), 2 on bad input.
    """
    from ..console import progress_display, say, show
    from ..errors import GateFailed
    from ..quality.standalone import validate_as_of
    from ..render import gate_failures_table

    with progress_display(f"validate {model} as of {as_of}") as (step, on_node):
        step("build and validate")
        result, where = validate_as_of(project, as_of, model, report_dir, snapshots_dir, on_node)
    for warning in result.warnings:
        say(warning, warning=True)
    if not result.passed:
        show(gate_failures_table([result]))
    say(f"quality gate {'passed' if result.passed else 'FAILED'}: {result.summary}")
    say(f"report: {where / result.report_file}")
    say(f"data docs: {where / 'validation' / 'index.html'}")
    if not result.passed:
        raise GateFailed(f"{model} as of {as_of}: quality gate failed: {result.summary}",
                         f"see {where / result.report_file}", results=[result])
    return 0
