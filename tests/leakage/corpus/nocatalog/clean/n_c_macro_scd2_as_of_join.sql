-- expect: clean
{{ sqltrain.scd2_as_of_join(spine=source('raw', 'spine'), entity_keys=['customer_id'], cutoff='as_of_ts',
                            snapshot=source('raw', 'plan_snapshot'), columns=['plan', {'seats': 'plan_seats'}], prefix='dim_') }}
