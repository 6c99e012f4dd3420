"""`sqltrain docs [--serve] [--port N] [--out DIR] [--snapshots DIR]`: the review site."""

from __future__ import annotations

from pathlib import Path

import click

from ._options import OutputPath, project_options, wait_lock_option


@click.command("docs")
@click.option("--out", type=OutputPath(directory=True), default=None,
              help="Where the site is written (default: <target>/site).")
@click.option("--snapshots", "snapshots_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where the snapshots are (default: snapshots/).")
@click.option("--serve", is_flag=True, help="Serve the site on http://127.0.0.1:PORT after building it.")
@click.option("--port", type=click.IntRange(0, 65535), default=8080, show_default=True, help="Port for --serve.")
@project_options
@wait_lock_option
def command(out, snapshots_dir, serve, port, project):
    """Build the dbt docs plus sqltrain's pages: training sets, snapshots, gates, drift, leakage rules."""
    from ..console import progress_display, say
    from ..errors import UsageError
    from ..interrupts import stop_quietly
    from ..site import build_site
    from ..site.serve import make_server

    warnings: list[str] = []
    with progress_display("docs") as (step, _on_node):
        step("dbt docs generate, then sqltrain's pages")
        index = build_site(project, out, snapshots_dir, on_warning=warnings.append)
    for warning in warnings:
        say(warning, warning=True)
    say(f"site written to {index.parent}")
    if not serve:
        return 0
    try:
        server = make_server(index.parent, port)
    except OSError as error:
        raise UsageError(f"--port {port}: cannot listen on 127.0.0.1 ({error.strerror})",
                         "pass another --port (0 picks a free one)") from None
    with server:
        say(f"serving on http://127.0.0.1:{server.server_port}/ (Ctrl-C stops)")
        with stop_quietly():  # Ctrl-C (or SIGTERM) is how the server is meant to stop: exit 0
            server.serve_forever()
    return 0
