-- expect: clean
-- meta: {kind: training_set, entity: [customer_id], cutoff: as_of_ts, label: cancelled_30d, horizon: 30 days}
{{ sqltrain.label_window(
    spine=source('raw', 'spine'), entity_keys=['customer_id'], cutoff='as_of_ts', source=source('raw', 'cancellations'),
    event_ts='cancelled_at', horizon='30 days', label='cancelled_30d', maturity='flag') }}
