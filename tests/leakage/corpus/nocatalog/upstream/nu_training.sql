-- meta: {kind: training_set, entity: [customer_id], cutoff: as_of_ts, label: churned_30d, horizon: 30 days}
with features as (
{{ sqltrain.point_in_time_join(
    spine=source('raw', 'spine'), entity_keys=['customer_id'], cutoff='as_of_ts',
    sources=[{'relation': source('raw', 'orders'), 'columns': ['amount'], 'event_ts': 'ordered_at',
              'known_at': 'loaded_at', 'prefix': 'last_order_'}]) }}
)
select * from features
