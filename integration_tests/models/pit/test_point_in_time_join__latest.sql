{{ sqltrain.point_in_time_join(
    spine=ref('it_spine'),
    entity_keys=['customer_id'],
    cutoff='as_of_ts',
    sources=[{'relation': ref('it_events'), 'columns': ['amount', 'status'], 'known_at': 'known_at',
              'ttl': '30 days', 'tie_break': ['event_id'], 'prefix': 'last_'}],
) }}
