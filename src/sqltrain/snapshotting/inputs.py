"""What a snapshot is a function of, besides the data and the as-of date: one hash of the project inputs.

Two snapshots of one model whose ``inputs_sha256`` is equal were built by the same SQL for every
as-of date: the same model files and YAML roles upstream of the model (sources included), the
same macros (sqltrain's and the project's), the same vars other than ``as_of`` and the same
sqltrain, dbt, adapter and DuckDB versions. The hash is computed from the parsed dbt manifest, so
it does not depend on the schema a build went to (the user's, the as-of target's, a verify copy).

    >>> inputs_sha256(manifest, "model.sqltrain.churn_training", {})   # doctest: +SKIP
    '5f1c…'
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from .. import __version__

_DBT_PACKAGES = ("dbt", "dbt_")   # dbt's own macros and the adapter's: covered by the versions


def inputs_sha256(manifest: dict[str, Any], model_id: str, project_vars: dict[str, Any] | None,
                  dbt_vars: dict[str, Any] | None = None) -> str:
    """SHA-256 of everything the compiled SQL of ``model_id`` and its upstream depends on but ``as_of``."""
    from ..provenance import dbt_version
    from ..timetravel.plan import ancestors   # (timetravel's verify imports this module)

    nodes = {**manifest.get("nodes", {}), **manifest.get("sources", {})}
    upstream = []
    for uid in ancestors(manifest, model_id):
        node = nodes.get(uid)
        if node is None:
            continue
        upstream.append({
            "id": uid,
            "file": (node.get("checksum") or {}).get("checksum"),
            "code": node.get("raw_code"),
            "meta": node.get("meta"),
            "config_meta": (node.get("config") or {}).get("meta"),
            "materialized": (node.get("config") or {}).get("materialized"),
            "columns": sorted((node.get("columns") or {}).keys()),
        })
    macros = sorted(
        (uid, macro.get("macro_sql"))
        for uid, macro in manifest.get("macros", {}).items()
        if not str(macro.get("package_name", "")).startswith(_DBT_PACKAGES)
    )
    document = {
        "upstream": upstream,
        "macros": macros,
        "vars": {k: v for k, v in {**(project_vars or {}), **(dbt_vars or {})}.items() if k != "as_of"},
        "versions": {"sqltrain": __version__, "dbt": dbt_version(), "duckdb": _duckdb_version(),
                     "adapter": (manifest.get("metadata") or {}).get("adapter_type")},
    }
    return hashlib.sha256(json.dumps(document, sort_keys=True, default=str).encode()).hexdigest()


def _duckdb_version() -> str:
    import duckdb

    return duckdb.__version__
