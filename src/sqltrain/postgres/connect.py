"""A psycopg connection to the database of a project's ``postgres`` target (profiles.yml)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import UsageError

if TYPE_CHECKING:
    from ..project import Project

_KEYS = {"host": "host", "port": "port", "user": "user", "password": "password", "dbname": "dbname",
         "sslmode": "sslmode", "connect_timeout": "connect_timeout"}
"""profiles.yml keys of dbt-postgres -> libpq connection parameters."""


def connection_settings(project: Project) -> dict[str, Any]:
    """The libpq parameters of the project's target, rendered as dbt renders them."""
    target, _ = project.target_output()
    if project.adapter() != "postgres":
        raise UsageError(f"target '{target}' is {project.adapter()!r}, not PostgreSQL", "pass --target with a postgres target")
    settings = {pg: project.target_value(key) for key, pg in _KEYS.items()}
    return {k: v for k, v in settings.items() if v not in (None, "")}


def connect(project: Project, autocommit: bool = False):
    """An open connection whose session time zone is UTC (timestamps are naive UTC, as on DuckDB);
    a one-line UsageError when the server cannot be reached."""
    import psycopg

    settings = connection_settings(project)
    try:
        return psycopg.connect(**settings, autocommit=autocommit, options="-c TimeZone=UTC",
                               application_name="sqltrain")
    except psycopg.OperationalError as error:
        where = f"{settings.get('host', 'localhost')}:{settings.get('port', 5432)}"
        reason = str(error).strip().splitlines()[-1] if str(error).strip() else type(error).__name__
        raise UsageError(f"cannot connect to PostgreSQL at {where} ({reason})",
                         "start the server (`make postgres-demo` starts a local one) or set SQLTRAIN_PG_HOST/PORT/"
                         "USER/PASSWORD/DATABASE") from None
