-- expect: clean
-- meta: {kind: training_set, entity: [customer_id], cutoff: label_ts, label: churned, horizon: 30 days}
with examples as (select * from {{ source('raw', 'examples') }})

select * from (
{{ sqltrain.point_in_time_join(
    spine='examples', entity_keys='customer_id', cutoff='label_ts',
    sources={'relation': source('raw', 'orders'), 'columns': ['status'], 'event_ts': 'ordered_at', 'known_at': 'loaded_at'}) }}
) as joined
