"""`sqltrain check [FILES…] [--format text|json|sarif] [--select MODELS] [--output FILE]` — the leakage lint."""

from __future__ import annotations

from pathlib import Path

import click

from ._options import OutputPath, project_options, wait_lock_option


@click.command("check")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif"]), default="text", show_default=True,
              help="Output format: compiler-style text, JSON, or SARIF 2.1.0 for code scanning.")
@click.option("--select", "-s", "select", multiple=True, metavar="MODELS",
              help="Models to report on (names; `+name` adds its upstream). Default: every model.")
@click.option("--output", "-o", type=OutputPath(directory=False), default=None,
              help="Write the report to FILE instead of standard output.")
@click.option("--compile/--no-compile", "compile_", default=None,
              help="Run `dbt compile` first (default: only when target/manifest.json is missing or older "
                   "than the project's files); --no-compile never does.")
@click.option("--target-path", type=click.Path(file_okay=False, path_type=Path), default=None,
              envvar="DBT_TARGET_PATH", help="dbt's target directory (default: the project's target/).")
@click.option("--show-suppressed", is_flag=True, help="Also list suppressed findings (text format).")
@project_options
@wait_lock_option
def command(files, fmt, select, output, compile_, target_path, show_suppressed, project):
    """Check every model for label leakage. Exit 0 clean, 1 error findings, 2 usage.

    FILES (as a pre-commit hook passes them) narrow the report to the models of those .sql files
    and their upstream; a changed YAML or other project file checks every model (roles may move).
    """
    from ..api import check, models_of_files
    from ..leakage.formats import render, summary_line

    if files:
        changed = models_of_files(project, files)
        if changed is not None and not changed:
            click.echo("sqltrain check: no model among the changed files")
            return 0
        select = (*select, *(changed or ()))

    if target_path is not None:
        project.target_path = target_path.resolve()
    report = check(select, recompile=compile_, project=project)
    text = render(report, fmt, show_suppressed)
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text)
        click.echo(f"{summary_line(report)} (report written to {output})")
    else:
        click.echo(text, nl=False)
    return report.exit_code

