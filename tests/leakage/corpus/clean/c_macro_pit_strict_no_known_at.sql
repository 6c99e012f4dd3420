-- expect: clean
with spine as (select customer_id, as_of_ts from {{ ref('spine') }}),

result as (
{{ sqltrain.point_in_time_join(
    spine='spine', entity_keys=['customer_id'], cutoff='as_of_ts', strict=true,
    sources=[{'relation': ref('tickets'), 'columns': ['priority'], 'ttl': '90 days'},
             {'relation': ref('plan_changes'), 'columns': ['to_plan'], 'known_at': 'known_at', 'tie_break': ['change_id']}]) }}
)

select * from result
