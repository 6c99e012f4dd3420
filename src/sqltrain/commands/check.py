"""`sqltrain check [--format text|json|sarif] [--select MODELS] [--output FILE]` — the leakage lint."""

from __future__ import annotations

from pathlib import Path

import click

from ._options import project_options


@click.command("check")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif"]), default="text", show_default=True,
              help="Output format: compiler-style text, JSON, or SARIF 2.1.0 for code scanning.")
@click.option("--select", "-s", "select", multiple=True, metavar="MODELS",
              help="Models to report on (names; `+name` adds its upstream). Default: every model.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the report to FILE instead of standard output.")
@click.option("--no-compile", is_flag=True,
              help="Use the existing target/manifest.json instead of running `dbt compile` first.")
@click.option("--target-path", type=click.Path(file_okay=False, path_type=Path), default=None,
              envvar="DBT_TARGET_PATH", help="dbt's target directory (default: the project's target/).")
@click.option("--show-suppressed", is_flag=True, help="Also list suppressed findings (text format).")
@project_options
def command(fmt, select, output, no_compile, target_path, show_suppressed, project):
    """Check every model for label leakage. Exit 0 clean, 1 error findings, 2 usage."""
    from ..leakage import check_project, resolve_selection
    from ..leakage.formats import render

    if target_path is not None:
        project.target_path = target_path.resolve()
    if not no_compile:
        from ..dbt_invoke import invoke

        dbt_select = ["--select", *[f"+{t.strip('+')}" for s in select for t in s.replace(",", " ").split()]] \
            if select else []
        from ..errors import BuildError, UsageError

        try:
            invoke(project, ["compile", *dbt_select])
        except BuildError as error:   # the project does not compile: bad input, not a leak (exit 2)
            raise UsageError(error.message, "fix the model, or pass --no-compile to check the last compiled manifest")
    report = check_project(project, select=list(select) or None)
    text = render(report, fmt, show_suppressed)
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text)
        from ..leakage.formats import summary_line

        click.echo(f"{summary_line(report)} (report written to {output})")
    else:
        click.echo(text, nl=False)
    return report.exit_code
