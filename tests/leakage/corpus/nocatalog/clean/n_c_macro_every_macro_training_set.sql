-- expect: clean
-- meta: {kind: training_set, entity: [customer_id], cutoff: as_of_ts, label: cancelled_30d, horizon: 30 days}
-- one training set through every macro, on sources that declare no columns
with spine as (
{{ sqltrain.cutoff_spine(entities=source('raw', 'subscriptions'), entity_keys=['customer_id'], start='2025-01-01',
                         every='month', valid_from='started_at', valid_to='ended_at') }}
),

latest as (
{{ sqltrain.point_in_time_join(
    spine='spine', entity_keys=['customer_id'], cutoff='as_of_ts',
    sources=[{'relation': source('raw', 'orders'), 'columns': ['amount'], 'event_ts': 'ordered_at',
              'known_at': 'loaded_at', 'ttl': '90 days', 'prefix': 'last_order_'}]) }}
),

windows as (
{{ sqltrain.window_aggregates(
    spine='latest', entity_keys=['customer_id'], cutoff='as_of_ts', source=source('raw', 'sessions'),
    event_ts='started_at', aggregates=[{'agg': 'count'}, {'agg': 'max', 'column': 'duration_s'}],
    windows=['7 days', '30 days'], prefix='sessions_') }}
),

plans as (
{{ sqltrain.scd2_as_of_join(spine='windows', entity_keys=['customer_id'], cutoff='as_of_ts',
                            snapshot=source('raw', 'plan_snapshot'), columns=['plan']) }}
),

labelled as (
{{ sqltrain.label_window(
    spine='plans', entity_keys=['customer_id'], cutoff='as_of_ts', source=source('raw', 'cancellations'),
    event_ts='cancelled_at', horizon='30 days', label='cancelled_30d') }}
),

split as (
{{ sqltrain.temporal_split(relation='labelled', cutoff='as_of_ts', valid_start='2025-06-01',
                           test_start='2025-09-01', embargo='30 days', horizon='30 days') }}
)

select * from split
