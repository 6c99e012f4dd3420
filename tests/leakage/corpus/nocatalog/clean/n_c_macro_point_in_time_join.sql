-- expect: clean
-- meta: {kind: training_set, entity: [customer_id], cutoff: as_of_ts, label: churned_30d, horizon: 30 days}
{{ sqltrain.point_in_time_join(
    spine=source('raw', 'spine'), entity_keys=['customer_id'], cutoff='as_of_ts',
    sources=[{'relation': source('raw', 'orders'), 'columns': ['amount', {'status': 'order_status'}],
              'event_ts': 'ordered_at', 'known_at': 'loaded_at', 'tie_break': ['order_id'], 'prefix': 'last_'},
             {'relation': source('raw', 'sessions'), 'columns': ['device'], 'event_ts': 'started_at',
              'ttl': '14 days', 'strict': true}]) }}
