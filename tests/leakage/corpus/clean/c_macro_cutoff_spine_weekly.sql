-- expect: clean
-- meta: {kind: spine, entity: [customer_id], cutoff: as_of_ts}
{{ sqltrain.cutoff_spine(
    entities=ref('customers_snapshot'), entity_keys=['customer_id'], start='2025-01-06', end='2025-06-30',
    every='week', cutoff='as_of_ts', valid_from='dbt_valid_from', valid_to='dbt_valid_to') }}
