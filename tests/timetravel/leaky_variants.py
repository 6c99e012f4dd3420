"""Deliberately leaky versions of the demo's churn_training, written into a copy of the project.

Each variant is the demo with one classic leak, the column it corrupts, and the model where
verify must see the difference start.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

TRAINING = Path("models/training/churn_training.sql")
SOURCES = Path("models/staging/_sources.yml")


@dataclass(frozen=True)
class Variant:
    name: str
    columns: frozenset[str]   # the columns of churn_training verify must name
    culprit: str              # the first model that differs

    def apply(self, root: Path) -> None:
        PATCHES[self.name](root)


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{path}: the demo changed, update the leaky variant ({old[:40]!r} not found)"
    path.write_text(text.replace(old, new, 1))


def future_window(root: Path) -> None:
    """Orders counted in the 90 days *after* the cutoff instead of before."""
    _replace(root / TRAINING, "    orders_count_30d,\n",
             "    (select count(*) from {{ ref('feat_orders') }} as f where f.customer_id = spine.customer_id\n"
             "        and f.event_ts > spine.as_of_ts and f.event_ts <= spine.as_of_ts + interval 90 day) as orders_count_30d,\n")


def unbounded_join(root: Path) -> None:
    """The last order joined on the customer alone: the latest order ever, not the latest before the cutoff."""
    training = root / TRAINING
    _replace(training, "labelled as (",
             "last_any as (\n    select customer_id, max(event_ts) as last_order_any\n"
             "    from {{ ref('feat_orders') }} group by customer_id\n),\n\nlabelled as (")
    _replace(training, "{{ dbt.datediff('last_order_event_ts', 'as_of_ts', 'day') }}",
             "{{ dbt.datediff('last_order_any', 'as_of_ts', 'day') }}")
    _replace(training, "left join labelled using (customer_id, as_of_ts)",
             "left join labelled using (customer_id, as_of_ts)\nleft join last_any using (customer_id)")


def label_derived_feature(root: Path) -> None:
    """A feature counted from the label's own events, over all time."""
    _replace(root / TRAINING, "    churned_30d\nfrom spine",
             "    churned_30d,\n    (select count(*) from {{ ref('lbl_churn_events') }} as c\n"
             "        where c.customer_id = spine.customer_id) as cancellations_total\nfrom spine")


def mutable_dimension(root: Path) -> None:
    """Country read from the customers' current state (SCD1) instead of the snapshot as of the cutoff."""
    (root / "models/features/feat_customer_profile.sql").write_text(
        "select customer_id, country from {{ ref('stg_customers') }}\n")
    _replace(root / TRAINING, "    country,\n",
             "    (select p.country from {{ ref('feat_customer_profile') }} as p\n"
             "        where p.customer_id = spine.customer_id) as country,\n")


# The source meta verify reads that the demo's _sources.yml does not declare yet (proposed to the lead):
# order lines belong to their order; a ticket's resolution columns are known only from resolved_at.
PROPOSED_SOURCE_META = [
    ("      - name: order_items\n        description: Lines of an order; they share the order's times.\n",
     "        config:\n          meta:\n            sqltrain: {belongs_to: {source: orders, key: order_id}}\n"),
    ("            sqltrain: {kind: feature_source, entity: [customer_id], event_ts: opened_at, known_at: _loaded_at}",
     ",\n                       column_known_at: {resolved_at: resolved_at, csat: resolved_at}}"),
]


def with_proposed_source_meta(root: Path) -> None:
    """Add PROPOSED_SOURCE_META to a project copy, unless the demo already declares it."""
    path = root / SOURCES
    text = path.read_text()
    if "belongs_to:" not in text:
        anchor, addition = PROPOSED_SOURCE_META[0]
        _replace(path, anchor, anchor + addition)
    if "column_known_at:" not in path.read_text():
        anchor, addition = PROPOSED_SOURCE_META[1]
        _replace(path, anchor, anchor[:-1] + addition)


PATCHES = {
    "future_window": future_window,
    "unbounded_join": unbounded_join,
    "label_derived_feature": label_derived_feature,
    "mutable_dimension": mutable_dimension,
}

VARIANTS = [
    Variant("future_window", frozenset({"orders_count_30d"}), "churn_training"),
    Variant("unbounded_join", frozenset({"days_since_last_order"}), "churn_training"),
    Variant("label_derived_feature", frozenset({"cancellations_total"}), "churn_training"),
    Variant("mutable_dimension", frozenset({"country"}), "feat_customer_profile"),
]
