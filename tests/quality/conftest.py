"""A small training set built by hand in a tmp DuckDB, and the gate context around it.

50 customers x 4 monthly cutoffs = 200 rows; churned_30d is 1 for customers 10, 20, .. 50
(label rate 0.1); tenure_days is null for customers 7, 14, .. 49 (null fraction 0.14). The
manifest declares the same roles and limits as the demo's churn_training.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from sqltrain.asof import parse_as_of
from sqltrain.engine.duckdb import DuckDBEngine
from sqltrain.gates import GateContext
from sqltrain.project import Project

ROWS = 200

TRAINING_META = {
    "kind": "training_set",
    "entity": ["customer_id"],
    "cutoff": "as_of_ts",
    "label": "churned_30d",
    "horizon": "30 days",
    "spine": "spine_monthly",
    "unique": True,
    "label_domain": [0, 1],
    "label_rate": [0.01, 0.30],
    "max_null_fraction": 0.5,
    "expectations": [{"expect_column_values_to_be_between": {"column": "tenure_days", "min_value": 0}}],
    "drift": {"psi_warn": 0.2, "null_rate_change_warn": 0.1, "label_rate_change_warn": 0.05},
}

COLUMNS = {
    "customer_id": {"role": "entity"},
    "as_of_ts": {"role": "cutoff"},
    "plan": {"role": "feature", "max_null_fraction": 0.0},
    "orders_sum_amount_30d": {"role": "feature", "range": [0, None], "max_null_fraction": 0.0},
    "tenure_days": {"role": "feature"},
    "days_since_last_order": {"role": "feature", "range": [0, None]},
    "split": {"role": "split"},
    "churned_30d": {"role": "label"},
}

BUILD_SQL = """
CREATE OR REPLACE TABLE spine_monthly AS
SELECT c AS customer_id, TIMESTAMP '2025-01-01' + to_months(m) AS as_of_ts
FROM range(1, 51) t(c), range(0, 4) u(m);

CREATE OR REPLACE TABLE churn_training AS
SELECT
    customer_id,
    as_of_ts,
    CASE customer_id % 3 WHEN 0 THEN 'basic' WHEN 1 THEN 'standard' ELSE 'premium' END AS plan,
    CAST(customer_id * 3.5 + month(as_of_ts) AS DECIMAL(10, 2)) AS orders_sum_amount_30d,
    CASE WHEN customer_id % 7 = 0 THEN NULL ELSE customer_id * 10 + month(as_of_ts) * 30 END AS tenure_days,
    CAST(customer_id % 13 AS DOUBLE) AS days_since_last_order,
    CASE WHEN month(as_of_ts) < 4 THEN 'train' ELSE 'test' END AS split,
    CAST(customer_id % 10 = 0 AS INTEGER) AS churned_30d
FROM spine_monthly;
"""


def manifest(database: str, meta: dict | None = None, columns: dict | None = None) -> dict:
    """A dbt-manifest-shaped dict holding the training set and its spine."""
    def relation(name: str) -> str:
        return f'"{database}"."main"."{name}"'

    training = {
        "name": "churn_training",
        "resource_type": "model",
        "package_name": "qtest",
        "patch_path": "qtest://models/training/_training.yml",
        "relation_name": relation("churn_training"),
        "config": {"meta": {"sqltrain": meta if meta is not None else TRAINING_META}},
        "columns": {
            name: {"name": name, "config": {"meta": {"sqltrain": rules}}}
            for name, rules in (columns if columns is not None else COLUMNS).items()
        },
        "depends_on": {"nodes": ["model.qtest.spine_monthly"]},
    }
    spine = {
        "name": "spine_monthly",
        "resource_type": "model",
        "package_name": "qtest",
        "relation_name": relation("spine_monthly"),
        "config": {"meta": {"sqltrain": {"kind": "spine", "entity": ["customer_id"], "cutoff": "as_of_ts"}}},
        "columns": {},
        "depends_on": {"nodes": []},
    }
    return {"nodes": {"model.qtest.churn_training": training, "model.qtest.spine_monthly": spine}, "sources": {}}


class TrainingSet:
    """The tmp warehouse, its manifest, and a way to corrupt the data and run the gate."""

    meta = TRAINING_META
    columns = COLUMNS

    def __init__(self, root: Path):
        self.root = root
        self.warehouse = root / "warehouse.duckdb"
        self.engines: list[DuckDBEngine] = []      # the gate contexts' engines, closed before each write
        self.sql(BUILD_SQL)
        (root / "dbt_project.yml").write_text("name: qtest\nversion: '1'\nprofile: qtest\n")
        self.project = Project(project_dir=root, profiles_dir=root, target_path=root / "target")
        self.set_manifest()

    def sql(self, statements: str) -> None:
        self.close()
        con = duckdb.connect(str(self.warehouse))
        try:
            con.execute(statements)
        finally:
            con.close()

    def close(self) -> None:
        while self.engines:
            self.engines.pop().close()

    def set_manifest(self, meta: dict | None = None, columns: dict | None = None) -> None:
        (self.root / "target").mkdir(exist_ok=True)
        (self.root / "target" / "manifest.json").write_text(json.dumps(manifest(self.warehouse.stem, meta, columns)))
        self.project.manifest(reload=True)

    @property
    def node(self) -> dict:
        return self.project.manifest()["nodes"]["model.qtest.churn_training"]

    def context(self, report_dir: Path | None = None, previous: Path | None = None, as_of: str = "2025-06-01") -> GateContext:
        return GateContext(
            project=self.project,
            model="churn_training",
            node=self.node,
            as_of=parse_as_of(as_of),
            relation=self.node["relation_name"],
            engine=self._engine(),
            report_dir=report_dir or self.root / "report",
            previous_snapshot=previous,
        )

    def _engine(self) -> DuckDBEngine:
        self.engines.append(DuckDBEngine(self.warehouse))
        return self.engines[-1]

    def export_as_snapshot(self, folder: Path, as_of: str) -> Path:
        """Write the current table the way ``sqltrain snapshot`` lays a snapshot out."""
        folder.mkdir(parents=True)
        con = duckdb.connect(str(self.warehouse), read_only=True)
        try:
            con.execute("COPY (SELECT * FROM churn_training ORDER BY ALL) TO ? (FORMAT parquet)", [str(folder / "data.parquet")])
        finally:
            con.close()
        from sqltrain.snapshotting.integrity import FILE_HASH, sha256_of

        data = {"files": ["data.parquet"], "sha256": sha256_of(folder / "data.parquet"), "sha256_of": FILE_HASH}
        (folder / "manifest.json").write_text(json.dumps({"model": "churn_training", "as_of": as_of, "data": data}))
        return folder


@pytest.fixture
def training_set(tmp_path) -> TrainingSet:
    ts = TrainingSet(tmp_path)
    yield ts
    ts.close()
