-- expect: clean
-- meta: {kind: training_set, entity: [customer_id], cutoff: as_of_ts, label: churned_30d, horizon: 30 days}
{{ sqltrain.window_aggregates(
    spine=source('raw', 'examples_src'), entity_keys=['customer_id'], cutoff='as_of_ts',
    source=source('raw', 'payments_src'), event_ts='paid_at', known_at='synced_at',
    aggregates=[{'agg': 'count'}, {'agg': 'count_distinct', 'column': 'method'}], windows=['30 days', '1 year'],
    where="method <> 'voucher'") }}
