"""`sqltrain snapshot --as-of D [--model M] [--out DIR] [--incremental]`."""

from __future__ import annotations

import click

from ._options import OutputPath, as_of_option, project_options, wait_lock_option


@click.command("snapshot")
@as_of_option()
@click.option("--model", "-m", default="churn_training", show_default=True, help="Training-set model to build.")
@click.option("--out", type=OutputPath(directory=True), default=None,
              help="Directory the snapshot lands in, as OUT/MODEL/as_of=D/ (default: snapshots/).")
@click.option("--incremental", is_flag=True, default=False,
              help="Reuse the rows of the newest earlier snapshot that cannot have changed and build only the "
                   "other cutoffs (same bytes as a full build); falls back to a full build, saying why "
                   "(docs/incremental.md).")
@project_options
@wait_lock_option
def command(as_of, model, out, incremental, project):
    """Build MODEL as of a date, gate it, and export a reproducible snapshot."""
    from ..console import progress_display, say, show
    from ..errors import GateFailed
    from ..render import gate_failures_table, snapshot_summary_table
    from ..snapshotting import cut_snapshot

    try:
        with progress_display(f"snapshot {model} as of {as_of}") as (step, on_node):
            result = cut_snapshot(project, as_of, model=model, out=out, step=step, on_node=on_node,
                                  incremental=incremental)
    except GateFailed as failure:
        if failure.results:
            show(gate_failures_table(failure.results))
        raise
    show(snapshot_summary_table(result))
    reuse = result.manifest.get("incremental") or {}
    if "fallback" in reuse:
        say(f"incremental refused, built in full: {reuse['fallback']}", warning=True)
    elif reuse:
        say(f"incremental: reused {reuse['reused_rows']:,} rows of {reuse['base']}, built {reuse['built_rows']:,}")
    suspicious = (result.manifest.get("smell") or {}).get("suspicious") or []
    if suspicious:
        say(f"too good to be true: {', '.join(suspicious)} "
            "(univariate AUC beyond the threshold; see manifest.json 'smell' for AUCs and lineage)", warning=True)
    say(f"snapshot written to {result.path}")
