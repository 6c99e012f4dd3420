-- expect: clean
with spine as (select customer_id, as_of_ts from {{ ref('spine') }}),

result as (
{{ sqltrain.window_aggregates(
    spine='spine', entity_keys=['customer_id'], cutoff='as_of_ts', source=ref('sessions'), known_at='known_at',
    windows=['30 days'], aggregates=[{'agg': 'avg', 'column': 'duration_s'}], prefix='sessions_') }}
)

select * from result
