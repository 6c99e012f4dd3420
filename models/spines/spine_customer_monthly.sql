{{ config(enabled=project_name == "sqltrain") }}
{#
  The churn examples: every customer subscribed at the start of a month, for each month from
  sqltrain_demo_spine_start to the last cutoff whose 30-day horizon is observed by var('as_of')
  (younger examples are not mature: their label is unknown, docs/semantics.md §5).
  "Subscribed at T" is read point-in-time from the subscription events, never from the
  customer's current status (that would keep only survivors).
#}
{% set horizon_days = 30 %}
{% if execute %}
    {% set as_of = modules.datetime.datetime.fromisoformat(var('as_of') | string) %}
    {% set last_cutoff = (as_of - modules.datetime.timedelta(days=horizon_days)).isoformat() %}
{% else %}
    {# dbt's parse renders the model without running it: the as-of date is read when it runs, so
       a new date does not make dbt parse this file again (macros/_internal/helpers.sql) #}
    {% set last_cutoff = 'read when the model runs' %}
{% endif %}

with signed_up as (
    {{ sqltrain.cutoff_spine(
        entities=ref('feat_signups'),
        entity_keys=['customer_id'],
        start=var('sqltrain_demo_spine_start'),
        end=last_cutoff,
        every='month',
        cutoff='as_of_ts',
        valid_from='event_ts',
        known_at='known_at',
    ) }}
),

subscription_state as (
    {{ sqltrain.point_in_time_join(
        spine='signed_up',
        entity_keys=['customer_id'],
        cutoff='as_of_ts',
        sources=[{
            'relation': ref('feat_plan_changes'),
            'columns': ['is_subscribed'],
            'known_at': 'known_at',
            'tie_break': ['change_id'],
        }],
    ) }}
)

select
    customer_id,
    as_of_ts
from subscription_state
where is_subscribed = 1
