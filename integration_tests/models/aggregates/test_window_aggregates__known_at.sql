{{ sqltrain.window_aggregates(
    spine=ref('it_spine'),
    entity_keys=['customer_id'],
    cutoff='as_of_ts',
    source=ref('it_events'),
    known_at='known_at',
    where="status = 'completed'",
    aggregates=[{'agg': 'count', 'column': '*'}, {'agg': 'sum', 'column': 'amount'}, {'agg': 'avg', 'column': 'amount'}],
    windows=['7 days', '30 days'],
    prefix='orders_',
) }}
