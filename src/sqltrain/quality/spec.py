"""What a training set promises about its data, read from its model YAML (``meta.sqltrain``).

The quality gate never guesses: every built-in expectation comes from a role or a limit the
model declares. Parsing happens here, once, so that a typo in the YAML is reported as one line
naming the model, the key and what to write instead — before any data is read.

Model level (``meta.sqltrain`` of the training set)::

    kind: training_set
    entity: [customer_id]             # keys: must exist and be non-null
    cutoff: as_of_ts                  # must exist and be non-null
    label: churned_30d                # must exist; non-null unless its column allows nulls
    spine: spine_customer_monthly     # row count must equal this model's
    label_domain: [0, 1]
    label_rate: [0.01, 0.30]          # bounds on the label's mean (binary labels)
    max_null_fraction: 0.5            # default limit for every feature column
    unique: true                      # (entity, cutoff) unique; false allows duplicates
    expectations:                     # GX 1.x expectation names and kwargs
      - expect_column_values_to_be_between: {column: tenure_days, min_value: 0}
    drift: {psi_warn: 0.2, null_rate_change_warn: 0.1, label_rate_change_warn: 0.05, bins: 10}
    slices: [plan, {column: tenure_days, bins: [90, 365]}]   # per-slice report (slice_spec.py)
    min_rows_per_slice: 20            # slice limits: a number warns, {limit: N, severity: error} refuses

``entity``, ``cutoff`` and ``label`` default to the columns declaring that ``role``.

Column level (``columns[].meta.sqltrain``)::

    role: feature                     # any other role (split, id, ignore...) is not a feature
    range: [0, null]                  # inclusive bounds; null leaves a side open
    max_null_fraction: 0.0            # overrides the model default for this column
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..errors import UsageError
from ..project import sqltrain_meta_of
from .slice_spec import LIMIT_KEYS, SliceRules, slice_rules

MODEL_KEYS = {
    "kind", "entity", "cutoff", "label", "horizon", "spine", "label_domain", "label_rate",
    "max_null_fraction", "unique", "expectations", "drift", "slices", *LIMIT_KEYS,
}
DRIFT_KEYS = {"psi_warn", "null_rate_change_warn", "label_rate_change_warn", "bins"}


@dataclass(frozen=True)
class DriftThresholds:
    """When drift against the previous snapshot becomes a warning (it never fails the gate)."""

    psi_warn: float = 0.2
    null_rate_change_warn: float = 0.1
    label_rate_change_warn: float = 0.05
    bins: int = 10


@dataclass(frozen=True)
class ColumnRules:
    """What one column declares under its own ``meta.sqltrain``."""

    name: str
    role: str | None = None
    max_null_fraction: float | None = None
    range: tuple[float | None, float | None] | None = None


@dataclass(frozen=True)
class QualitySpec:
    """The quality contract of one training set."""

    model: str
    entity: tuple[str, ...] = ()
    cutoff: str | None = None
    label: str | None = None
    spine: str | None = None
    label_domain: tuple[Any, ...] | None = None
    label_rate: tuple[float | None, float | None] | None = None
    max_null_fraction: float | None = None
    unique: bool = True
    columns: dict[str, ColumnRules] = field(default_factory=dict)
    expectations: tuple[tuple[str, dict[str, Any]], ...] = ()
    drift: DriftThresholds = DriftThresholds()
    slices: SliceRules = SliceRules()

    @property
    def keys(self) -> tuple[str, ...]:
        """The columns that identify an example: entity keys then the cutoff."""
        return self.entity + ((self.cutoff,) if self.cutoff else ())

    def features(self, relation_columns: list[str]) -> list[str]:
        """Feature columns of the built relation, in its order.

        A column is a feature unless it is a key, the cutoff, the label, or declares another
        role (``split``, ``id``, ``ignore``...): undeclared columns count as features, so nothing
        is exported unexamined.
        """
        reserved = set(self.keys) | ({self.label} if self.label else set())
        return [
            name
            for name in relation_columns
            if name not in reserved and self.columns.get(name, ColumnRules(name)).role in (None, "feature")
        ]


def spec_from_node(node: dict[str, Any]) -> QualitySpec:
    """Read the quality contract of a dbt manifest node; ``UsageError`` on a malformed declaration."""
    model = node.get("name", "?")
    meta = sqltrain_meta_of(node)
    where = _where(node)
    bad = _Complainer(model, where)

    unknown = sorted(set(meta) - MODEL_KEYS)
    if unknown:
        bad(f"unknown key meta.sqltrain.{unknown[0]}", f"use one of: {', '.join(sorted(MODEL_KEYS))}")

    entity = meta.get("entity") or []
    if isinstance(entity, str):
        entity = [entity]
    if not isinstance(entity, list) or not all(isinstance(e, str) for e in entity):
        bad("meta.sqltrain.entity must be a column name or a list of them", "e.g. entity: [customer_id]")

    for key in ("cutoff", "label", "spine"):
        if meta.get(key) is not None and not isinstance(meta[key], str):
            bad(f"meta.sqltrain.{key} must be a name", f"e.g. {key}: {_EXAMPLES[key]}")

    domain = meta.get("label_domain")
    if domain is not None and (not isinstance(domain, list) or not domain):
        bad("meta.sqltrain.label_domain must be a non-empty list of values", "e.g. label_domain: [0, 1]")

    unique = meta.get("unique", True)
    if not isinstance(unique, bool):
        bad("meta.sqltrain.unique must be true or false", "write unique: false to allow duplicate (entity, cutoff)")

    columns = _columns(node, bad)
    return QualitySpec(
        model=model,
        entity=tuple(entity) or _with_role(columns, "entity"),
        cutoff=meta.get("cutoff") or next(iter(_with_role(columns, "cutoff")), None),
        label=meta.get("label") or next(iter(_with_role(columns, "label")), None),
        spine=meta.get("spine"),
        label_domain=tuple(domain) if domain is not None else None,
        label_rate=_bounds(meta.get("label_rate"), "meta.sqltrain.label_rate", bad, unit=True),
        max_null_fraction=_fraction(meta.get("max_null_fraction"), "meta.sqltrain.max_null_fraction", bad),
        unique=unique,
        columns=columns,
        expectations=_user_expectations(meta.get("expectations"), bad),
        drift=_drift(meta.get("drift"), bad),
        slices=slice_rules(meta, bad),
    )


_EXAMPLES = {"cutoff": "as_of_ts", "label": "churned_30d", "spine": "spine_customer_monthly"}


class _Complainer:
    """Raises the one-line error for a bad declaration, naming the YAML file and the model."""

    def __init__(self, model: str, where: str):
        self.model, self.where = model, where

    def __call__(self, problem: str, hint: str) -> None:
        raise UsageError(f"{self.where}: model '{self.model}': {problem}", hint)


def _where(node: dict[str, Any]) -> str:
    patch = node.get("patch_path") or ""
    return patch.split("://", 1)[-1] or node.get("original_file_path") or "model YAML"


def _with_role(columns: dict[str, ColumnRules], role: str) -> tuple[str, ...]:
    """Columns declaring ``role``: the model-level keys may be left to the columns' own roles."""
    return tuple(name for name, rules in columns.items() if rules.role == role)


def _fraction(value: Any, key: str, bad: _Complainer) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        bad(f"{key} must be a fraction between 0 and 1, not {value!r}", f"e.g. {key.rsplit('.', 1)[-1]}: 0.05")
    return float(value)


def _bounds(value: Any, key: str, bad: _Complainer, unit: bool = False) -> tuple[float | None, float | None] | None:
    if value is None:
        return None
    ok = isinstance(value, list) and len(value) == 2 and all(
        v is None or (isinstance(v, (int, float)) and not isinstance(v, bool)) for v in value
    )
    if ok and unit:
        ok = all(v is None or 0 <= v <= 1 for v in value)
    if ok and None not in value:
        ok = value[0] <= value[1]
    if ok and value == [None, None]:
        ok = False  # no bound at all: delete the key instead
    if not ok:
        example = "[0.01, 0.30]" if unit else "[0, null]"
        bad(f"{key} must be [low, high] (null leaves a side open), not {value!r}", f"e.g. {key.rsplit('.', 1)[-1]}: {example}")
    return (value[0], value[1])


def _columns(node: dict[str, Any], bad: _Complainer) -> dict[str, ColumnRules]:
    rules = {}
    for name, column in (node.get("columns") or {}).items():
        meta = sqltrain_meta_of(column)
        prefix = f"column {name}: meta.sqltrain"
        role = meta.get("role")
        if role is not None and not isinstance(role, str):
            bad(f"{prefix}.role must be a word", "e.g. role: feature")
        rules[name] = ColumnRules(
            name=name,
            role=role,
            max_null_fraction=_fraction(meta.get("max_null_fraction"), f"{prefix}.max_null_fraction", bad),
            range=_bounds(meta.get("range"), f"{prefix}.range", bad),
        )
    return rules


def _user_expectations(value: Any, bad: _Complainer) -> tuple[tuple[str, dict[str, Any]], ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        bad("meta.sqltrain.expectations must be a list", "e.g. - expect_column_values_to_be_between: {column: x, min_value: 0}")
    out = []
    for i, item in enumerate(value):
        if not (isinstance(item, dict) and len(item) == 1):
            bad(f"meta.sqltrain.expectations[{i}] must map one GX expectation name to its kwargs",
                "e.g. - expect_column_values_to_be_between: {column: x, min_value: 0}")
        (name, kwargs), = item.items()
        if not isinstance(kwargs, dict):
            bad(f"meta.sqltrain.expectations[{i}] ({name}) needs a mapping of kwargs", "e.g. {column: x, min_value: 0}")
        out.append((str(name), dict(kwargs)))
    return tuple(out)


def _drift(value: Any, bad: _Complainer) -> DriftThresholds:
    if value is None:
        return DriftThresholds()
    if not isinstance(value, dict):
        bad(f"meta.sqltrain.drift must be a mapping, not {value!r}", "e.g. drift: {psi_warn: 0.2}")
    unknown = sorted(set(value) - DRIFT_KEYS)
    if unknown:
        bad(f"meta.sqltrain.drift has unknown key {unknown[0]}", f"use: {', '.join(sorted(DRIFT_KEYS))}")
    for key, v in value.items():
        if isinstance(v, bool) or not isinstance(v, (int, float)) or v < 0:
            bad(f"meta.sqltrain.drift.{key} must be a non-negative number, not {v!r}", "e.g. psi_warn: 0.2")
    if "bins" in value and (int(value["bins"]) != value["bins"] or value["bins"] < 2):
        bad(f"meta.sqltrain.drift.bins must be an integer >= 2, not {value['bins']!r}", "e.g. bins: 10")
    return DriftThresholds(**{k: (int(v) if k == "bins" else float(v)) for k, v in value.items()})
