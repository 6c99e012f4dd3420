"""The `sqltrain` command: a thin shell over the library (docs/architecture.md).

Each subcommand lives in ``sqltrain/commands/<name>.py`` and imports its heavy
dependencies (dbt, Great Expectations, SQLGlot) inside the function body, so that
``sqltrain --help`` stays fast.
"""

from __future__ import annotations

import atexit
import importlib
import importlib.util
import os
import sys
from dataclasses import dataclass
from typing import NoReturn

import click

from . import __version__
from .errors import SqltrainError
from .interrupts import Interrupted, guarded

# (command name, module under sqltrain.commands, attribute)
COMMANDS = [
    ("snapshot", "snapshot"),
    ("check", "check"),
    ("validate", "validate"),
    ("verify", "verify"),
    ("backtest", "backtest"),
    ("diff", "diff"),
    ("docs", "docs"),
    ("init", "init"),
    ("demo-warehouse", "demo_warehouse"),
]


@dataclass
class RunOptions:
    """The group's options, as ``main`` reads them after the command ends (``ctx.obj``)."""

    debug: bool = False


class LazyGroup(click.Group):
    """Loads a subcommand's module only when that subcommand runs (or its help is asked for).

    Every command runs under :func:`sqltrain.interrupts.guarded`: SIGINT and SIGTERM end it as
    ``Interrupted`` (inside click, so click does not turn the interrupt into its own ``Abort``).
    """

    def invoke(self, ctx: click.Context):
        with guarded():
            return super().invoke(ctx)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name, module in COMMANDS if _module_exists(module)]

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        for command, module in COMMANDS:
            if command == name and _module_exists(module):
                return getattr(importlib.import_module(f"sqltrain.commands.{module}"), "command")
        return None


def _module_exists(module: str) -> bool:
    return importlib.util.find_spec(f"sqltrain.commands.{module}") is not None


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sqltrain")
@click.option("--debug", is_flag=True, envvar="SQLTRAIN_DEBUG", help="Show tracebacks for errors.")
@click.option("--no-color", is_flag=True, help="No colour on a terminal either (NO_COLOR=1 does the same).")
@click.pass_context
def cli(ctx: click.Context, debug: bool, no_color: bool) -> None:
    """Point-in-time-correct ML training sets from your warehouse, in plain SQL."""
    ctx.ensure_object(RunOptions).debug = debug
    if no_color:
        from .console import no_color as colourless

        colourless()


def main(argv: list[str] | None = None) -> int:
    """Entry point: user errors become one line on stderr and their exit code; no traceback
    (unless ``--debug``); an interrupt is the line ``interrupted`` and exit 130 (SIGINT) or 143 (SIGTERM).

    A command returns its exit code (an int) or None for 0.
    """
    options = RunOptions()
    try:
        status = cli.main(args=argv, prog_name="sqltrain", standalone_mode=False, obj=options)
    except Interrupted as stop:
        click.echo("interrupted", err=True)
        return stop.exit_code
    except SqltrainError as error:
        if options.debug:
            raise
        click.echo(f"error: {error}", err=True)
        return error.exit_code
    except click.exceptions.Exit as done:
        return done.exit_code
    except click.ClickException as error:
        error.show()
        return 2
    except click.Abort:  # Ctrl-C while click itself was parsing the arguments
        click.echo("interrupted", err=True)
        return 130
    return status if isinstance(status, int) else 0


def run() -> NoReturn:
    """The ``sqltrain`` console script: ``main()``, then the process ends at once.

    A command has closed what it opened by the time ``main`` returns (warehouse connections,
    staging directories, child processes); what is left is the interpreter tearing down the
    thousands of modules dbt and its dependencies import, 0.7-0.8 s at the end of every
    ``snapshot``. So the script flushes the standard streams, runs the exit handlers (logging's
    flush, temporary directories' finalizers, multiprocessing's cleanup) and ends with ``os._exit``.
    ``main`` itself, which tests and other Python callers use, returns as any function does.
    """
    status = main()
    _flush()
    atexit._run_exitfuncs()
    _flush()                 # what the exit handlers wrote
    os._exit(status)


def _flush() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):   # a closed pipe or stream: nothing more can reach it
            pass


if __name__ == "__main__":
    run()
