"""sqltrain: point-in-time-correct ML training sets from warehouse tables, in plain SQL."""

__version__ = "0.1.0"
