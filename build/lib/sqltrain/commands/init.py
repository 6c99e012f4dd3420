"""`sqltrain init [--warehouse FILE | --target T] [--name M]`: starter sources YAML and training set."""

from __future__ import annotations

from pathlib import Path

import click

from ._options import project_options


@click.command("init")
@click.option("--warehouse", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="DuckDB file to inspect (default: the path of the dbt target in profiles.yml).")
@click.option("--name", default="training_set", show_default=True, help="Name of the training-set model to write.")
@project_options
def command(warehouse, name, project):
    """Inspect the warehouse and write models/sources.yml (roles suggested) and a training-set skeleton.

    Never overwrites a file (exit 2 naming it). Confirm the suggested roles, then `sqltrain check`
    and `sqltrain snapshot --as-of D --model NAME` run on them.
    """
    from ..console import console
    from ..scaffold import inspect_warehouse, label_table, plan_starter, suggested_kind, write_starter

    if warehouse is not None and project.target is not None:
        from ..errors import UsageError

        raise UsageError("--warehouse and --target both name the warehouse", "pass one of them")
    path = warehouse.resolve() if warehouse is not None else project.warehouse_path()
    tables = inspect_warehouse(path)
    starter = plan_starter(tables, name=name)
    written = write_starter(project.project_dir, starter)
    console.print(f"inspected {path}: {len(tables)} tables")
    label = label_table(tables, starter.entity)
    for table in tables:
        role = suggested_kind(table, label)
        times = ", ".join(f"{t}{' (known_at)' if t == table.known_at else ' (event_ts)' if t == table.event_ts else ''}"
                          for t in table.times) or "none"
        console.print(f"  {table.schema}.{table.name:<24} {table.rows:>10,} rows  {role:<15} "
                      f"keys: {', '.join(table.keys) or 'none'}; time columns: {times}", soft_wrap=True)
    console.print(f"entity key suggested: {starter.entity}")
    for path in written:
        console.print(f"wrote {path.relative_to(project.project_dir)}")
    console.print(f"next: confirm the roles in models/sources.yml, then `sqltrain check` and "
                  f"`sqltrain snapshot --as-of DATE --model {name}`")
    return 0
