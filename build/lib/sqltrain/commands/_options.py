"""Options every command shares (--project-dir, --profiles-dir, --target, --as-of) and the parameter
types that check values when the command line is parsed (output paths, periods, finite numbers);
see docs/architecture.md."""

from __future__ import annotations

import functools
import math
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


class OutputPath(click.ParamType):
    """A path sqltrain will write: checked when the command line is parsed, before any work
    (``sqltrain.outputs.require_writable``), and handed on resolved."""

    name = "path"

    def __init__(self, directory: bool):
        self.directory = directory

    def convert(self, value, param, ctx):
        from ..outputs import require_writable

        option = param.opts[0] if param is not None and param.opts else "path"
        return require_writable(value, option, directory=self.directory)


class PeriodType(click.ParamType):
    """``1 month``, ``2 weeks``, ``P1M``…, parsed to a ``Period`` when the command line is read."""

    name = "period"

    def convert(self, value, param, ctx):
        from ..backtesting.periods import Period, parse_period

        if isinstance(value, Period):
            return value
        return parse_period(value, param.opts[0] if param is not None and param.opts else "period")


class FiniteFloatRange(click.FloatRange):
    """``click.FloatRange`` that also refuses nan and ±inf (a range check lets nan through)."""

    def convert(self, value, param, ctx):
        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number.", param, ctx)
        return number


BIGINT_MAX = 2**63 - 1  # the largest count DuckDB takes (LIMIT, sample sizes)


def wait_lock_option(fn: Callable) -> Callable:
    """``--wait-lock SECONDS``: keep retrying while another process holds the warehouse file
    (sets ``project.wait_lock``; put it under ``@project_options``)."""

    @click.option("--wait-lock", "wait_lock", type=FiniteFloatRange(min=0), default=None, metavar="SECONDS",
                  help="When another process holds the warehouse, wait up to SECONDS for it (default: fail at once).")
    @functools.wraps(fn)
    def wrapper(*args, wait_lock=None, project, **kwargs):
        project.wait_lock = wait_lock or 0.0
        return fn(*args, project=project, **kwargs)

    return wrapper
