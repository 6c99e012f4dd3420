{{ sqltrain.label_window(
    spine=ref('it_spine'),
    entity_keys=['customer_id'],
    cutoff='as_of_ts',
    source=ref('it_cancellations'),
    known_at='known_at',
    horizon='30 days',
    label='churned',
) }}
