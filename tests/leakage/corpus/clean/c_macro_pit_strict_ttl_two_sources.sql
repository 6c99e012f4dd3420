-- expect: clean
with spine as (select customer_id, as_of_ts from {{ ref('spine') }}),

result as (
{{ sqltrain.point_in_time_join(
    spine='spine', entity_keys=['customer_id'], cutoff='as_of_ts', strict=true,
    sources=[{'relation': ref('plan_changes'), 'columns': ['to_plan'], 'known_at': 'known_at', 'tie_break': ['change_id'], 'ttl': '180 days'},
             {'relation': ref('sessions'), 'columns': [{'duration_s': 'last_session_duration'}], 'known_at': 'known_at', 'tie_break': ['session_id'], 'prefix': 'w_'}]) }}
)

select * from result
