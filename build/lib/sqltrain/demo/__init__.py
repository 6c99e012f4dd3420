"""The demo warehouse: a simulated subscription shop to run sqltrain on (docs/demo-warehouse.md)."""

__all__ = ["build_warehouse"]


def __getattr__(name: str):
    # Lazy, so that ``python -m sqltrain.demo.warehouse`` does not import the module twice.
    if name == "build_warehouse":
        from .warehouse import build_warehouse

        return build_warehouse
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
