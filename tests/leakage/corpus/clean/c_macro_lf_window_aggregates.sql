-- expect: clean
-- meta: {kind: training_set, entity: [customer_id], cutoff: as_of_ts, label: churned_30d, horizon: 30 days}
with examples as (select * from {{ ref('example_spine') }}),

orders_windows as (
{{ sqltrain.window_aggregates(
    spine='examples', entity_keys=['customer_id'], cutoff='as_of_ts', source=ref('orders'), known_at='known_at',
    aggregates=[{'agg': 'count'}, {'agg': 'sum', 'column': 'amount'}, {'agg': 'max', 'column': 'items'}],
    windows=['7 days', '90 days'], prefix='orders_', strict=true) }}
)

select * from orders_windows
