-- expect: clean
-- meta: {kind: training_set, entity: [customer_id], cutoff: label_ts, label: churned, horizon: 30 days}
with with_plan as (
{{ sqltrain.point_in_time_join(
    spine=ref('labelled_examples'), entity_keys='customer_id', cutoff='label_ts',
    sources={'relation': ref('plan_changes'), 'columns': ['to_plan'], 'known_at': 'known_at'}) }}
),

with_sessions as (
{{ sqltrain.window_aggregates(
    spine='with_plan', entity_keys=['customer_id'], cutoff='label_ts', source=ref('sessions'), known_at='known_at',
    aggregates=[{'agg': 'count'}, {'agg': 'avg', 'column': 'duration_s'}], windows=['30 days']) }}
)

select * from with_sessions
