-- expect: clean
-- note: the portable implementation
with spine as (select customer_id, as_of_ts from {{ ref('spine') }}),

result as (
{{ sqltrain.default__window_aggregates('spine', ['customer_id'], 'as_of_ts', ref('sessions'),
    [{'agg': 'count', 'column': '*'}], ['30 days'], 'event_ts', 'known_at', none, false, 'sessions_', none, var('as_of')) }}
)

select * from result
