"""The `sqltrain` command: a thin shell over the library (see DESIGN §5).

Each subcommand lives in ``sqltrain/commands/<name>.py`` and imports its heavy
dependencies (dbt, Great Expectations, SQLGlot) inside the function body, so that
``sqltrain --help`` stays fast.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys

import click

from . import __version__
from .errors import SqltrainError

# (command name, module under sqltrain.commands, attribute)
COMMANDS = [
    ("snapshot", "snapshot"),
    ("check", "check"),
    ("validate", "validate"),
    ("verify", "verify"),
    ("backtest", "backtest"),
    ("diff", "diff"),
    ("docs", "docs"),
    ("demo-warehouse", "demo_warehouse"),
]


class LazyGroup(click.Group):
    """Loads a subcommand's module only when that subcommand runs (or its help is asked for)."""

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
    ctx.obj = {"debug": debug}
    if no_color:
        from .console import no_color as colourless

        colourless()


def main(argv: list[str] | None = None) -> int:
    """Entry point: user errors become one line on stderr and their exit code; no traceback.

    A command returns its exit code (an int) or None for 0.
    """
    try:
        status = cli.main(args=argv, prog_name="sqltrain", standalone_mode=False)
    except SqltrainError as error:
        if "--debug" in (argv or sys.argv):
            raise
        click.echo(f"error: {error}", err=True)
        return error.exit_code
    except click.exceptions.Exit as done:
        return done.exit_code
    except click.ClickException as error:
        error.show()
        return 2
    except click.Abort:
        click.echo("aborted", err=True)
        return 130
    return status if isinstance(status, int) else 0


if __name__ == "__main__":
    sys.exit(main())
