"""Where the local Spark keeps its warehouse and metastore (the ``spark`` target of profiles.yml)."""

from __future__ import annotations

import os
from pathlib import Path

SPARK_DIR_ENV = "SQLTRAIN_SPARK_DIR"
"""Environment variable read by profiles.yml's ``spark`` target; default ``.spark`` (git-ignored)."""


def spark_dir(project_dir: str | os.PathLike = ".") -> Path:
    """The local Spark directory: ``$SQLTRAIN_SPARK_DIR`` or ``<project>/.spark``, made absolute.

    The profile's default is relative to the working directory, like the DuckDB path; pinning
    it absolute (``pin_spark_dir``) lets dbt run from anywhere and still find the metastore.
    """
    configured = os.environ.get(SPARK_DIR_ENV)
    return Path(configured).resolve() if configured else (Path(project_dir) / ".spark").resolve()


def pin_spark_dir(project_dir: str | os.PathLike = ".") -> Path:
    """Set ``$SQLTRAIN_SPARK_DIR`` to its absolute value and create the directory; return it."""
    path = spark_dir(project_dir)
    path.mkdir(parents=True, exist_ok=True)
    os.environ[SPARK_DIR_ENV] = str(path)
    return path
