"""The analysis passes: walk a qualified tree scope by scope and record the facts the rules read.

One module per pass group — ``sources`` (what each selected relation is), ``predicates`` (time
bounds), ``windows`` (windows, aggregation, latest picks), ``output`` (what a scope's rows are
for its readers), ``label_lineage`` — over the fact model of ``model``, driven by ``PASSES`` in
``collect``. Rules never re-parse SQL. See docs/leakage.md.
"""

from __future__ import annotations

from .collect import PASSES, FactCollector, facts_for_sql
from .label_lineage import mixes_features
from .model import ModelFacts, PassContext, Rel, ScopeFacts, WindowUse
from .sources import rel_from_role
from .windows import has_latest_pick, is_pick_filter, partitioned_by_cutoff

__all__ = ["PASSES", "FactCollector", "ModelFacts", "PassContext", "Rel", "ScopeFacts", "WindowUse", "facts_for_sql",
           "has_latest_pick", "is_pick_filter", "mixes_features", "partitioned_by_cutoff", "rel_from_role"]
