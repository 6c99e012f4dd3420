"""The dbt docs site, generated as one self-contained file and placed beside sqltrain's pages.

``dbt docs generate --static`` inlines the manifest and the catalog into ``static_index.html``, so
the file opens from any static server (or from disk) with no ``manifest.json`` fetches. Its pages
are addressed by fragment: ``static_index.html#!/model/<unique_id>``.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from ..dbt_invoke import invoke
from ..project import Project
from ..warehouse import release_dbt_connection

DBT_PAGE = "static_index.html"


def generate_dbt_docs(project: Project, out_dir: Path, dbt_vars: dict[str, Any] | None = None) -> Path:
    """Run ``dbt docs generate --static`` into ``project.target_path`` and copy the page into ``out_dir``.

    The catalog (column types as built) is read from the warehouse, which must exist (``invoke``
    refuses a missing DuckDB file rather than letting the adapter create an empty one).
    """
    command = ["docs", "generate", "--static"]
    try:
        invoke(project, command, dbt_vars=dbt_vars, target_path=str(project.target_path))
    finally:
        release_dbt_connection()  # `--serve` must not keep the warehouse locked against snapshots
    destination = out_dir / DBT_PAGE
    shutil.copyfile(project.target_path / DBT_PAGE, destination)
    return destination


def dbt_model_href(unique_id: str, prefix: str = "") -> str:
    """Link to a node's page in the dbt docs (``prefix``: the way from the linking page to the site root)."""
    return f"{prefix}{DBT_PAGE}#!/model/{unique_id}"
