"""dbt's `modules` context (modules.datetime) for models that compute dates at compile time."""

import datetime  # noqa: F401
