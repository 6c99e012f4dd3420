"""The quality gate: Great Expectations validation of a built training set (docs/quality-gate.md).

- ``spec``: the quality contract read from the model's ``meta.sqltrain`` (roles, limits).
- ``suite``: the expectations derived from it (pure data, no GX import).
- ``sql_expectations``: the expectations sqltrain evaluates as SQL itself, with GX's rules.
- ``gx_validation``: GX 1.x run in an ephemeral, offline context; Data Docs on request.
- ``gx_ahead``: GX imported ahead by a child process that writes the Data Docs (snapshot, validate, backtest).
- ``observed``: each result's observed value in words.
- ``drift``: PSI, null-rate and label-rate change against the previous snapshot.
- ``slice_spec`` / ``slices``: the declared slices and their limits; rows, share, label rate and
  null fractions per slice value, computed in SQL on the engine.
- ``check``: ``check_training_set()``, the whole check, returning a ``QualityReport``.
- ``gate``: ``run_gate(ctx)`` for ``sqltrain snapshot`` / ``sqltrain validate``.

Importing this package does not import Great Expectations; running a validation does.
"""

from .check import QualityReport, check_training_set
from .spec import QualitySpec, spec_from_node
from .suite import ExpectationSpec, build_suite

__all__ = ["ExpectationSpec", "QualityReport", "QualitySpec", "build_suite", "check_training_set", "spec_from_node"]
