"""Running a suite: built-ins as SQL (``sql_expectations``), the rest with Great Expectations 1.x
in an ephemeral, offline, silent context, and GX's Data Docs from the combined result.

Nothing is written into the user's project: the context keeps its stores in memory, and the
only files produced are the Data Docs HTML, into the directory the caller names (the
snapshot's report directory). Analytics are off and GX is imported here only, so commands that
do not validate never pay its ~3 s import.
"""

from __future__ import annotations

import importlib.abc
import importlib.util
import logging
import os
import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import UsageError
from .suite import ExpectationSpec

SUITE_INDEX_KEY = "sqltrain_index"


@dataclass
class Outcome:
    """How one expectation of the suite fared."""

    spec: ExpectationSpec
    success: bool
    result: dict[str, Any] = field(default_factory=dict)   # GX's `result` dict, JSON-safe
    exception: str | None = None                            # GX could not evaluate it


def import_gx():
    """Import Great Expectations with analytics off (must happen before its first import)."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    # GX imports pyspark when it is installed (the spark extra); pyspark warns about pandas 3 on
    # import, which is noise on the CLI of a DuckDB snapshot
    warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas", category=FutureWarning)
    with _loaded_on_first_use(DEFERRED_MODULES):
        import great_expectations as gx

    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    return gx


DEFERRED_MODULES = ("scipy.stats",)
"""Modules GX imports when it is imported but uses only in a few expectations (the KL-divergence
and Kolmogorov-Smirnov ones): loaded when GX first uses them. ``scipy.stats`` is more than a
second of the ~4 s import, paid by every validation that never evaluates a distribution."""


class _DeferredFinder(importlib.abc.MetaPathFinder):
    """Finds ``names`` as the other finders do, with a loader that runs the module on first use."""

    def __init__(self, names: tuple[str, ...]):
        self.names = names

    def find_spec(self, name, path=None, target=None):
        if name not in self.names:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(name, path, target)
            if spec is not None:
                if spec.loader is not None and hasattr(spec.loader, "exec_module"):
                    spec.loader = importlib.util.LazyLoader(spec.loader)
                return spec
        return None


@contextmanager
def _loaded_on_first_use(names: tuple[str, ...]) -> Iterator[None]:
    """While the block runs, an import of one of ``names`` not imported yet gives a module that is
    executed when an attribute of it is first read (``importlib.util.LazyLoader``)."""
    finder = _DeferredFinder(tuple(n for n in names if n not in sys.modules))
    sys.meta_path.insert(0, finder)
    try:
        yield
    finally:
        sys.meta_path.remove(finder)


def to_gx_expectation(spec: ExpectationSpec, model: str):
    """The GX expectation object for ``spec``; UsageError naming the model on a bad name or kwarg."""
    import_gx()
    from great_expectations.exceptions import ExpectationNotFoundError
    from great_expectations.expectations.registry import get_expectation_impl

    try:
        impl = get_expectation_impl(spec.type)
    except ExpectationNotFoundError:
        raise UsageError(
            f"model '{model}': meta.sqltrain.expectations: unknown expectation '{spec.type}'",
            "use a Great Expectations 1.x expectation name, e.g. expect_column_values_to_be_between",
        ) from None
    try:
        return impl(**spec.kwargs)
    except Exception as error:  # pydantic.ValidationError and friends: a bad kwarg in the YAML
        detail = " ".join(str(error).split())
        raise UsageError(
            f"model '{model}': meta.sqltrain.expectations: {spec.type}({spec.kwargs}) is invalid: {detail[:200]}",
            "fix its kwargs (see the GX 1.x expectation gallery)",
        ) from None


def run_suite(
    frame,
    suite: list[ExpectationSpec],
    *,
    name: str,
    run_name: str,
    docs_dir: Path | None = None,
) -> tuple[list[Outcome], dict[str, Any]]:
    """Validate ``frame`` (a warehouse query, a Spark or a pandas DataFrame) against ``suite``.

    On a warehouse query sqltrain evaluates as SQL every expectation it evaluates exactly
    (``sql_expectations.evaluable``: the built-ins, and a user's of the same types and kwargs) and
    GX the rest; elsewhere GX evaluates them all. When GX has only the Data Docs to write, a child
    process started ahead of time may write them (``gx_ahead``). Returns one Outcome per suite
    entry, in suite order, and the validation result in GX's JSON shape. With ``docs_dir``, the GX Data Docs site is written there
    (``index.html``) from that result. GX is not imported when it has nothing to do.
    """
    from .gx_ahead import rendered_ahead
    from .sql_expectations import evaluable, evaluate

    in_sql = {i: s for i, s in enumerate(suite) if evaluable(s)} if _in_warehouse(frame) else {}
    outcomes = evaluate(frame.engine, frame.query, list(frame.columns), in_sql) if in_sql else {}
    rest = [i for i in range(len(suite)) if i not in outcomes]
    if not rest:
        ordered = [outcomes[i] for i in range(len(suite))]
        if docs_dir is None:
            return ordered, _suite_result_json(name, ordered, [_expectation_result_json(i, o) for i, o in enumerate(ordered)])
        job = (suite, ordered, name, run_name, Path(docs_dir))
        return ordered, rendered_ahead(job) or render_result(*job)

    gx = import_gx()
    from great_expectations.core.run_identifier import RunIdentifier

    context = _context(gx, docs_dir)
    run_id = RunIdentifier(run_name=run_name)
    items: dict[int, Any] = {i: _gx_result(i, o) for i, o in outcomes.items()}
    validated = _gx_validate(gx, context, frame, suite, rest, name)
    for item in validated.results:
        items[int(item.expectation_config.meta[SUITE_INDEX_KEY])] = item
    outcomes.update({i: o for i, o in enumerate(_outcomes(suite, validated.to_json_dict())) if i in rest})
    ordered = [outcomes[i] for i in range(len(suite))]
    return ordered, _result_json(gx, context, name, suite, ordered, items, {**(validated.meta or {}), "run_id": run_id},
                                 docs_dir)


def render_result(suite: list[ExpectationSpec], ordered: list[Outcome], name: str, run_name: str,
                  docs_dir: Path) -> dict[str, Any]:
    """The validation result (GX's JSON shape) of outcomes sqltrain evaluated itself, one per
    ``suite`` entry, with its Data Docs site written into ``docs_dir``."""
    gx = import_gx()
    from great_expectations.core.run_identifier import RunIdentifier

    items = {i: _gx_result(i, o) for i, o in enumerate(ordered)}
    meta = {"run_id": RunIdentifier(run_name=run_name)}
    return _result_json(gx, _context(gx, docs_dir), name, suite, ordered, items, meta, docs_dir)


def _result_json(gx, context, name: str, suite: list[ExpectationSpec], ordered: list[Outcome], items: dict[int, Any],
                 meta: dict[str, Any], docs_dir: Path | None) -> dict[str, Any]:
    """The suite's validation result in GX's JSON shape; with ``docs_dir``, its Data Docs written there."""
    result = _suite_result(gx, name, suite, ordered, items, meta)
    if docs_dir is not None:
        _render_docs(gx, context, result, suite, meta["run_id"])
        prune_unused_images(Path(docs_dir))
    return result.to_json_dict()


def _in_warehouse(frame) -> bool:
    """A query over the warehouse (``WarehouseQuery``): sqltrain can run SQL on it itself."""
    return hasattr(frame, "query") and hasattr(frame, "url") and hasattr(frame, "engine")


def _context(gx, docs_dir: Path | None):
    """An ephemeral, in-memory GX context whose only site writes to ``docs_dir``."""
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    sites = {}
    if docs_dir is not None:
        sites["sqltrain"] = {
            "class_name": "SiteBuilder",
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(docs_dir)},
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        }
    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
        data_docs_sites=sites,
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False),
    )
    return gx.get_context(mode="ephemeral", project_config=config)


def _gx_suite(gx, name: str, suite: list[ExpectationSpec], indices: list[int]):
    """The GX suite of the entries ``indices`` of ``suite``, each tagged with its index and rule."""
    expectation_suite = gx.ExpectationSuite(name=name)
    for index in indices:
        expectation = to_gx_expectation(suite[index], name)
        expectation.meta = {**(expectation.meta or {}), SUITE_INDEX_KEY: index, "sqltrain_rule": suite[index].rule}
        expectation_suite.add_expectation(expectation)
    return expectation_suite


def _gx_validate(gx, context, frame, suite: list[ExpectationSpec], indices: list[int], name: str):
    """GX's ExpectationSuiteValidationResult for the entries ``indices`` of ``suite`` on ``frame``."""
    batch_definition, parameters = _batch(context, frame, name)
    batch = batch_definition.get_batch(batch_parameters=parameters or None)
    return batch.validate(_gx_suite(gx, name, suite, indices), result_format={"result_format": "SUMMARY"})


def _exception_info(outcome: Outcome) -> dict[str, Any]:
    return {"raised_exception": outcome.exception is not None, "exception_traceback": None,
            "exception_message": outcome.exception}


def _expectation_result_json(index: int, outcome: Outcome) -> dict[str, Any]:
    """One expectation's result in GX's JSON shape, for a suite GX did not run."""
    return {"success": outcome.success,
            "expectation_config": {"type": outcome.spec.type, "kwargs": dict(outcome.spec.kwargs),
                                   "meta": {SUITE_INDEX_KEY: index, "sqltrain_rule": outcome.spec.rule}},
            "result": outcome.result, "meta": {}, "exception_info": _exception_info(outcome)}


def _statistics(outcomes: list[Outcome]) -> dict[str, Any]:
    passed = sum(o.success for o in outcomes)
    return {"evaluated_expectations": len(outcomes), "successful_expectations": passed,
            "unsuccessful_expectations": len(outcomes) - passed,
            "success_percent": passed / len(outcomes) * 100 if outcomes else None}


def _suite_result_json(name: str, outcomes: list[Outcome], results: list[dict[str, Any]]) -> dict[str, Any]:
    return {"success": all(o.success for o in outcomes), "results": results, "suite_name": name,
            "suite_parameters": {}, "statistics": _statistics(outcomes), "meta": {}}


def _gx_result(index: int, outcome: Outcome):
    """An outcome sqltrain evaluated, as GX's ExpectationValidationResult (for the Data Docs)."""
    from great_expectations.core import ExpectationValidationResult
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    config = ExpectationConfiguration(type=outcome.spec.type, kwargs=dict(outcome.spec.kwargs),
                                      meta={SUITE_INDEX_KEY: index, "sqltrain_rule": outcome.spec.rule})
    return ExpectationValidationResult(success=outcome.success, expectation_config=config,
                                       result=outcome.result, exception_info=_exception_info(outcome))


def _suite_result(gx, name: str, suite: list[ExpectationSpec], outcomes: list[Outcome],
                  items: dict[int, Any], meta: dict[str, Any]):
    """The whole suite's ExpectationSuiteValidationResult, in suite order."""
    from great_expectations.core import ExpectationSuiteValidationResult

    meta = {"great_expectations_version": gx.__version__, "validation_time": meta["run_id"].run_time, **meta}
    return ExpectationSuiteValidationResult(
        success=all(o.success for o in outcomes), results=[items[i] for i in range(len(suite))],
        suite_name=name, statistics=_statistics(outcomes), meta=meta)


def _render_docs(gx, context, result, suite: list[ExpectationSpec], run_id) -> None:
    """Write the Data Docs of ``result`` (and of its suite) into the context's site."""
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
        ValidationResultIdentifier,
    )

    name = result.suite_name
    context.suites.add(_gx_suite(gx, name, suite, list(range(len(suite)))))
    suite_id = ExpectationSuiteIdentifier(name=name)
    result_id = ValidationResultIdentifier(expectation_suite_identifier=suite_id, run_id=run_id,
                                           batch_identifier=f"sqltrain-{name}")
    context.validation_results_store.set(result_id, result)
    context.build_data_docs(site_names=["sqltrain"], resource_identifiers=[result_id, suite_id])


def _batch(context, frame, name: str) -> tuple[Any, dict[str, Any]]:
    """The batch definition GX validates ``frame`` through, and its batch parameters.

    A query over the warehouse (``WarehouseQuery``) goes through GX's SQL datasource: DuckDB runs
    every metric, nothing is read into Python but aggregates and sample values. A Spark DataFrame
    goes through GX's Spark datasource (validated where it lives, never collected); a pandas
    DataFrame through the pandas datasource.
    """
    if hasattr(frame, "query") and hasattr(frame, "url"):
        source = context.data_sources.add_sql("sqltrain", connection_string=frame.url,
                                              kwargs={"creator": frame.connect})
        return source.add_query_asset(name, query=frame.query).add_batch_definition_whole_table("all"), {}
    if type(frame).__module__.startswith("pyspark."):
        source = context.data_sources.add_spark("sqltrain")
    else:
        source = context.data_sources.add_pandas("sqltrain")
    return source.add_dataframe_asset(name).add_batch_definition_whole_dataframe("all"), {"dataframe": frame}


def prune_unused_images(docs_dir: Path) -> None:
    """Drop the images GX copies into every site but no page shows (tutorial GIFs, ~3 MB).

    The Data Docs are kept with every snapshot, so their size is paid once per snapshot.
    """
    pages = " ".join(page.read_text(errors="ignore") for page in docs_dir.rglob("*.html"))
    for image in (docs_dir / "static" / "images").glob("*"):
        if image.is_file() and image.name not in pages:
            image.unlink()


def _outcomes(suite: list[ExpectationSpec], full: dict[str, Any]) -> list[Outcome]:
    """Match GX's results back to the suite entries by the index stored in each expectation's meta."""
    by_index: dict[int, Outcome] = {}
    for item in full.get("results", []):
        config = item.get("expectation_config") or {}
        index = (config.get("meta") or {}).get(SUITE_INDEX_KEY)
        if index is None:
            continue
        by_index[int(index)] = Outcome(
            suite[int(index)], bool(item.get("success")), item.get("result") or {}, _exception_message(item.get("exception_info"))
        )
    return [by_index.get(i, Outcome(spec, False, {}, "not evaluated by Great Expectations")) for i, spec in enumerate(suite)]


def _exception_message(info: Any) -> str | None:
    """GX's error text for an expectation it could not evaluate (e.g. a missing column), or None.

    ``exception_info`` is either one record or, when a metric failed, a mapping from the metric's
    id to such a record.
    """
    if not isinstance(info, dict):
        return None
    records = [info] if "raised_exception" in info or "exception_message" in info else list(info.values())
    for record in records:
        if isinstance(record, dict) and record.get("exception_message") and record.get("raised_exception", True):
            return " ".join(str(record["exception_message"]).split())
    return None
