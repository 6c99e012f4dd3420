{{ config(enabled=project_name == "sqltrain") }}
{#
  churn_training — will a subscriber cancel within 30 days of the cutoff?
  One row per (customer_id, as_of_ts) of spine_customer_monthly (unique, tested); each feature group
  is computed on the spine by a sqltrain macro and joined back on that key. Every feature is read as of
  as_of_ts through the sqltrain macros, the label from (as_of_ts, as_of_ts + 30 days].
#}
with spine as (
    select
        customer_id,
        as_of_ts
    from {{ ref('spine_customer_monthly') }}
),

latest as (
    {{ sqltrain.point_in_time_join(
        spine='spine',
        entity_keys=['customer_id'],
        cutoff='as_of_ts',
        sources=[
            {'relation': ref('feat_plan_changes'), 'columns': ['to_plan', 'change_type'],
             'known_at': 'known_at', 'tie_break': ['change_id'], 'prefix': 'last_change_'},
            {'relation': ref('feat_signups'), 'columns': ['signup_ts'],
             'known_at': 'known_at', 'tie_break': ['change_id']},
            {'relation': ref('feat_orders'), 'columns': ['event_ts'],
             'known_at': 'known_at', 'tie_break': ['order_id'], 'prefix': 'last_order_'},
        ],
    ) }}
),

profile as (
    {{ sqltrain.scd2_as_of_join(
        spine='spine',
        entity_keys=['customer_id'],
        cutoff='as_of_ts',
        snapshot=ref('customers_snapshot'),
        columns=['country', 'marketing_opt_in'],
    ) }}
),

{#- Windowed aggregates over (as_of_ts - w, as_of_ts], one macro call per event source and window set. -#}
{%- set windowed = [
    {'name': 'orders', 'source': ref('feat_orders'), 'prefix': 'orders_',
     'windows': ['7 days', '30 days', '90 days'],
     'aggregates': [{'agg': 'count', 'column': '*'}, {'agg': 'sum', 'column': 'amount'}]},
    {'name': 'refunds', 'source': ref('feat_orders'), 'prefix': 'orders_',
     'windows': ['90 days'],
     'aggregates': [{'agg': 'sum', 'column': 'is_refund', 'name': 'refunds'},
                    {'agg': 'avg', 'column': 'items', 'name': 'avg_items'}]},
    {'name': 'sessions', 'source': ref('feat_web_sessions'), 'prefix': 'sessions_',
     'windows': ['7 days', '30 days'],
     'aggregates': [{'agg': 'count', 'column': '*'}, {'agg': 'sum', 'column': 'page_views'},
                    {'agg': 'avg', 'column': 'duration_s'}]},
    {'name': 'tickets', 'source': ref('feat_ticket_openings'), 'prefix': 'tickets_',
     'windows': ['30 days', '90 days'],
     'aggregates': [{'agg': 'count', 'column': '*'},
                    {'agg': 'sum', 'column': 'is_high_priority', 'name': 'high_priority'}]},
    {'name': 'resolutions', 'source': ref('feat_ticket_resolutions'), 'prefix': 'tickets_',
     'windows': ['90 days'],
     'aggregates': [{'agg': 'avg', 'column': 'csat'}]},
    {'name': 'plan_moves', 'source': ref('feat_plan_changes'), 'prefix': 'plan_',
     'windows': ['90 days'],
     'aggregates': [{'agg': 'sum', 'column': 'is_downgrade', 'name': 'downgrades'}]},
] %}
{%- for group in windowed %}

    {{ group.name }} as (
    {{ sqltrain.window_aggregates(
        spine='spine',
        entity_keys=['customer_id'],
        cutoff='as_of_ts',
        source=group.source,
        known_at='known_at',
        windows=group.windows,
        aggregates=group.aggregates,
        prefix=group.prefix,
    ) }}
    ),
{%- endfor %}

labelled as (
    {{ sqltrain.label_window(
        spine='spine',
        entity_keys=['customer_id'],
        cutoff='as_of_ts',
        source=ref('lbl_churn_events'),
        known_at='known_at',
        horizon='30 days',
        label='churned_30d',
    ) }}
)

select
    customer_id,
    as_of_ts,
    last_change_to_plan                                                as plan,
    country,
    cast(marketing_opt_in as integer)                                  as marketing_opt_in,
    {{ dbt.datediff('signup_ts', 'as_of_ts', 'day') }}                 as tenure_days,
    {{ dbt.datediff('last_order_event_ts', 'as_of_ts', 'day') }}       as days_since_last_order,
    case when last_change_change_type = 'reactivate' then 1 else 0 end as is_reactivated,
    orders_count_7d,
    orders_count_30d,
    orders_count_90d,
    orders_sum_amount_7d,
    orders_sum_amount_30d,
    orders_sum_amount_90d,
    cast(orders_refunds_90d as bigint)                                 as orders_refunds_90d,
    orders_avg_items_90d,
    sessions_count_7d,
    sessions_count_30d,
    cast(sessions_sum_page_views_7d as bigint)                         as sessions_sum_page_views_7d,
    cast(sessions_sum_page_views_30d as bigint)                        as sessions_sum_page_views_30d,
    sessions_avg_duration_s_7d,
    sessions_avg_duration_s_30d,
    tickets_count_30d,
    tickets_count_90d,
    cast(tickets_high_priority_30d as bigint)                          as tickets_high_priority_30d,
    cast(tickets_high_priority_90d as bigint)                          as tickets_high_priority_90d,
    tickets_avg_csat_90d,
    cast(plan_downgrades_90d as bigint)                                as plan_downgrades_90d,
    churned_30d
from spine
{% for part in ['latest', 'profile'] + windowed | map(attribute='name') | list -%}
    left join {{ part }} using (customer_id, as_of_ts)
{% endfor -%}
-- the spine holds mature examples only, so every row finds its label; a left join keeps
-- a row that did not (null label) visible to the quality gate instead of dropping it
left join labelled using (customer_id, as_of_ts)
