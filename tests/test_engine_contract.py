"""The engine contract: every registered engine implements all of it, and the registry maps
dbt adapter types to engines (adding an engine = one module + one registry line + tests)."""

from __future__ import annotations

import inspect
import json

import pytest

from sqltrain.engine import ENGINES, Engine, adapter_type, build_command, engine_class
from sqltrain.engine.base import Engine as BaseEngine
from sqltrain.errors import UsageError
from sqltrain.project import Project

# what the pipeline, the gates, the smell, the exports and the time-range check call on an engine
CALLED = {"for_project", "require_ready", "execute", "describe", "missing_relation", "export", "quality_frame",
          "table_name", "count_rows", "label_rate", "drift_frame", "pinned", "close", "__enter__", "__exit__"}


def test_the_contract_declares_every_method_sqltrain_calls():
    declared = {name for name, _ in inspect.getmembers(BaseEngine) if not name.startswith("_") or name in CALLED}
    assert CALLED <= declared
    assert Engine is BaseEngine


@pytest.mark.parametrize("adapter", sorted(ENGINES))
def test_every_registered_engine_implements_the_whole_contract(adapter):
    cls = ENGINES[adapter]
    assert issubclass(cls, BaseEngine) and not inspect.isabstract(cls), sorted(getattr(cls, "__abstractmethods__", ()))
    assert cls.name == adapter and cls.dialect
    for name in CALLED:
        method = getattr(cls, name)
        assert callable(method)
        assert not getattr(method, "__isabstractmethod__", False), f"{cls.__name__}.{name} is not implemented"


def test_abc_refuses_an_engine_that_leaves_a_method_out():
    class Partial(BaseEngine):
        name = dialect = "partial"

        def execute(self, sql):  # the rest of the contract is missing
            raise NotImplementedError

    with pytest.raises(TypeError, match="abstract"):
        Partial()


def _project_with_adapter(tmp_path, adapter: str | None) -> Project:
    tmp_path.mkdir()
    (tmp_path / "dbt_project.yml").write_text("name: p\nversion: '1'\nprofile: p\n")
    project = Project.open(tmp_path, tmp_path)
    project.target_path = tmp_path / "target"
    if adapter is not None:
        project.target_path.mkdir()
        (project.target_path / "manifest.json").write_text(json.dumps({"metadata": {"adapter_type": adapter}, "nodes": {}}))
    return project


def test_the_registry_maps_adapter_types_to_engines(tmp_path):
    from sqltrain.engine.duckdb import DuckDBEngine
    from sqltrain.engine.postgres import PostgresEngine
    from sqltrain.engine.spark import SparkEngine

    assert engine_class("duckdb") is DuckDBEngine and engine_class("spark") is SparkEngine
    assert engine_class("postgres") is PostgresEngine
    assert adapter_type(_project_with_adapter(tmp_path / "none", None)) == "duckdb"   # no manifest yet
    spark = _project_with_adapter(tmp_path / "spark", "Spark")
    assert adapter_type(spark) == "spark"
    # engine-specific build options come from the engine class, not from a branch on the adapter name
    assert build_command(spark, "m")[-2:] == ["--exclude", "resource_type:snapshot"]
    assert build_command(_project_with_adapter(tmp_path / "duck", "duckdb"), "m") == [
        "build", "--select", "+m", "--indirect-selection", "cautious"]
    assert build_command(_project_with_adapter(tmp_path / "pg", "postgres"), "m") == [   # snapshots build too
        "build", "--select", "+m", "--indirect-selection", "cautious"]
    with pytest.raises(UsageError, match="dbt adapter 'oracle' has no sqltrain engine"):
        engine_class("oracle")

