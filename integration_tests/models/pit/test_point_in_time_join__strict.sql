{{ sqltrain.point_in_time_join(
    spine=ref('it_spine'),
    entity_keys=['customer_id'],
    cutoff='as_of_ts',
    sources=[{'relation': ref('it_events'), 'columns': [{'amount': 'amount_before'}], 'tie_break': ['event_id']}],
    strict=true,
) }}
