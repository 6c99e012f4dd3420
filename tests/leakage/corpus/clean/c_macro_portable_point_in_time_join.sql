-- expect: clean
-- note: the portable (ANSI window-function) implementation other adapters run
with spine as (select customer_id, as_of_ts from {{ ref('spine') }}),

result as (
{{ sqltrain.default__point_in_time_join('spine', ['customer_id'], 'as_of_ts',
    [{'relation': ref('plan_changes'), 'columns': ['to_plan'], 'known_at': 'known_at', 'tie_break': ['change_id']}],
    false, var('as_of')) }}
)

select * from result
