-- expect: clean
-- meta: {kind: training_set, entity: [customer_id], cutoff: as_of_ts, label: cancelled_30d, horizon: 30 days}
with spine as (select customer_id, as_of_ts from {{ ref('spine') }}),

latest as (
{{ sqltrain.point_in_time_join(
    spine='spine', entity_keys=['customer_id'], cutoff='as_of_ts',
    sources=[{'relation': ref('subscription_events'), 'columns': ['event_type', 'mrr'], 'event_ts': 'happened_at',
              'tie_break': ['sub_event_id'], 'prefix': 'last_sub_'}]) }}
),

labelled as (
{{ sqltrain.label_window(
    spine='latest', entity_keys=['customer_id'], cutoff='as_of_ts', source=ref('subscription_events'),
    event_ts='happened_at', horizon='30 days', label='cancelled_30d', where="event_type = 'cancel'") }}
)

select * from labelled
