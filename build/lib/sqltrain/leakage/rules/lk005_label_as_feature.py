"""LK005 — the label, or anything derived from it, feeding a feature."""

from __future__ import annotations

from ..locate import word
from .base import Hit, Rule

FEATURE_KINDS = ("training_set", "feature_source", "spine")


class LabelAsFeature(Rule):
    """The label, or anything derived from it (target encoding), feeding a feature.

    Why is this bad?
        A feature computed from the label — directly, through a target encoding such as the
        churn rate of the customer's country, or by filtering feature rows on the label — is
        the answer handed to the model. Column lineage follows the label through CTEs, joins
        and upstream models, including columns used only in joins and filters.

    Example
        ```sql
        select customer_id, as_of_ts, country, churned_30d,
               avg(churned_30d) over (partition by country) as country_churn_rate
        from {{ ref('training_base') }}
        ```

    Use instead
        ```sql
        select customer_id, as_of_ts, country, churned_30d
        from {{ ref('training_base') }}
        ```

        (fit target encodings on the training split only, outside the training set; or build
        them from labels lagged by the horizon — see LK009)
    """

    code = "LK005"
    name = "label-as-feature"
    severity = "error"
    summary = "the label, or anything derived from it (target encoding), feeds a feature"
    hint = "features must not read the label or label sources; keep the label column as the only label-derived output"

    def check(self, ctx):
        kind = ctx.facts.role_kind
        role = ctx.roles.by_name.get(ctx.model.name)
        per_example = bool(ctx.facts.output.cutoffs) and kind is None
        if kind not in FEATURE_KINDS and not per_example:
            return
        allowed = (set(role.entity) | {role.cutoff, role.label}) if role else set()
        if per_example:
            allowed |= ctx.roles.label_names
        for column in ctx.facts.output.columns:
            if column in ctx.facts.output.tainted and column not in allowed and not ctx.roles.is_key(column):
                yield Hit(f"column '{column}' is derived from the label or a label source", [word(column)], column=column)
        for scope in ctx.facts.scopes:
            for clause, col in scope.label_filters:
                yield Hit(f"{clause.upper()} condition reads label-derived column '{col.name}': "
                          f"the rows kept depend on the label", [word(col.name)], cte=scope.name, column=col.name)
