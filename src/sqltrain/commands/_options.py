"""Options every command shares (DESIGN §5): --project-dir, --profiles-dir, --target."""

from __future__ import annotations

import functools
from collections.abc import Callable

import click


def project_options(fn: Callable) -> Callable:
    """Add the common options and pass the opened ``Project`` as ``project``."""

    @click.option("--project-dir", type=click.Path(file_okay=False), default=None,
                  help="dbt project directory (default: current directory).")
    @click.option("--profiles-dir", type=click.Path(file_okay=False), default=None,
                  help="Directory holding profiles.yml (default: the project's, else ~/.dbt).")
    @click.option("--target", default=None, help="dbt target in the profile.")
    @functools.wraps(fn)
    def wrapper(*args, project_dir=None, profiles_dir=None, target=None, **kwargs):
        from ..project import Project

        project = Project.open(project_dir, profiles_dir, target)
        return fn(*args, project=project, **kwargs)

    return wrapper


def as_of_option(required: bool = True) -> Callable:
    """``--as-of D``: an ISO date or timestamp, parsed and validated as UTC."""

    def parse(ctx, param, value):
        if value is None:
            return None
        from ..asof import parse_as_of

        return parse_as_of(value)

    return click.option("--as-of", "as_of", required=required, callback=parse, metavar="DATE",
                        help="Build as of this UTC date or timestamp (ISO 8601).")
