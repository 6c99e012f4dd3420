"""Time-travel verification (docs/semantics.md §8, docs/verify.md): a training set built as of D must not change when
everything recorded after D is deleted. See :func:`verify` and docs/verify.md."""

from .verify import VerifyReport, verify

__all__ = ["VerifyReport", "verify"]
