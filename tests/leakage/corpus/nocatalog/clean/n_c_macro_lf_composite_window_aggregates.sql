-- expect: clean
-- meta: {kind: training_set, entity: [account_id, region_id], cutoff: cutoff_date, label: expanded, horizon: 28 days}
{{ sqltrain.window_aggregates(
    spine=source('raw', 'accounts'), entity_keys=['account_id', 'region_id'], cutoff='cutoff_date',
    source=source('raw', 'usage_daily'), event_ts='usage_date', strict=true,
    aggregates=[{'agg': 'sum', 'column': 'units'}, {'agg': 'min', 'column': 'units'}], windows=['7 days', '28 days']) }}
