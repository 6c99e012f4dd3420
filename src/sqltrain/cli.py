"""The `sqltrain` command: a thin shell over the library (see DESIGN §5)."""

from __future__ import annotations

import sys

import click

from . import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sqltrain")
def cli() -> None:
    """Point-in-time-correct ML training sets from your warehouse, in plain SQL."""


def main() -> None:
    cli(prog_name="sqltrain")


if __name__ == "__main__":
    sys.exit(main())
