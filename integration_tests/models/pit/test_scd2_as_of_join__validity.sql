{{ sqltrain.scd2_as_of_join(
    spine=ref('it_spine'),
    entity_keys=['customer_id'],
    cutoff='as_of_ts',
    snapshot=ref('it_plan_snapshot'),
    columns=['plan'],
) }}
