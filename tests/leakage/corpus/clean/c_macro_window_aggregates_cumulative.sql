-- expect: clean
-- note: the running-totals implementation (ASOF joins of cumulative sums)
with spine as (select customer_id, as_of_ts from {{ ref('spine') }}),

result as (
{{ sqltrain.window_aggregates(
    spine='spine', entity_keys=['customer_id'], cutoff='as_of_ts', source=ref('orders'), known_at='known_at',
    windows=['7 days', '30 days'], aggregates=[{'agg': 'count', 'column': '*'}, {'agg': 'sum', 'column': 'amount'}],
    prefix='orders_', method='cumulative') }}
)

select * from result
