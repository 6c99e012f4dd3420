-- expect: clean
with spine as (select customer_id, as_of_ts from {{ ref('spine') }}),

result as (
{{ sqltrain.point_in_time_join(
    spine='spine', entity_keys=['customer_id'], cutoff='as_of_ts',
    sources=[{'relation': ref('tickets'), 'columns': ['priority'], 'tie_break': ['ticket_id']}]) }}
)

select * from result
