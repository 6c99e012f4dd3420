"""Stand-ins for dbt's cross-database macros when sqlfluff lints a model (see .sqlfluff)."""


def datediff(first, second, part):
    return f"date_diff('{part}', {first}, {second})"
