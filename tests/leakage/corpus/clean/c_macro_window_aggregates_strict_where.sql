-- expect: clean
with spine as (select customer_id, as_of_ts from {{ ref('spine') }}),

result as (
{{ sqltrain.window_aggregates(
    spine='spine', entity_keys=['customer_id'], cutoff='as_of_ts', source=ref('orders'), known_at='known_at',
    windows=['90 days'], aggregates=[{'agg': 'max', 'column': 'amount'}], strict=true,
    where="status = 'completed'", prefix='completed_') }}
)

select * from result
