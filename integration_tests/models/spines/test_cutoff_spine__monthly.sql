{{ sqltrain.cutoff_spine(
    entities=ref('it_subscriptions'),
    entity_keys=['customer_id'],
    start='2024-11-01',
    every='month',
    valid_from='started_at',
    valid_to='ended_at',
) }}
