-- expect: clean
-- meta: {kind: training_set, entity: [customer_id], cutoff: as_of_ts, label: purchased_14d, horizon: 14 days}
-- app_events keys on user_id: the spine's customer_id is matched to it by position
with spine as (select customer_id, as_of_ts from {{ source('raw', 'spine') }}),

features as (
{{ sqltrain.window_aggregates(
    spine='spine', entity_keys=['customer_id'], cutoff='as_of_ts', source=source('raw', 'app_events'), keys=['user_id'],
    event_ts='occurred_at', known_at='received_at', aggregates=[{'agg': 'count'}], windows=['1 day', '14 days'],
    prefix='events_') }}
),

labelled as (
{{ sqltrain.label_window(
    spine='features', entity_keys=['customer_id'], cutoff='as_of_ts', source=source('raw', 'app_events'), keys=['user_id'],
    event_ts='occurred_at', known_at='received_at', horizon='14 days', label='purchased_14d',
    where="event_name = 'purchase'") }}
)

select * from labelled
