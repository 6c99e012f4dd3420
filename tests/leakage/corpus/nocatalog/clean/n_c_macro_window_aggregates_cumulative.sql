-- expect: clean
-- meta: {kind: training_set, entity: [customer_id], cutoff: as_of_ts, label: churned_30d, horizon: 30 days}
with spine as (select * from {{ source('raw', 'spine') }})

select * from (
{{ sqltrain.window_aggregates(
    spine='spine', entity_keys=['customer_id'], cutoff='as_of_ts', source=source('raw', 'orders'),
    event_ts='ordered_at', known_at='loaded_at',
    aggregates=[{'agg': 'count'}, {'agg': 'sum', 'column': 'amount'}, {'agg': 'avg', 'column': 'amount', 'name': 'basket'}],
    windows=['7 days', '30 days', '90 days'], method='cumulative') }}
) as windows
