-- expect: clean
with spine as (select customer_id, as_of_ts from {{ ref('spine') }}),

result as (
{{ sqltrain.scd2_as_of_join(
    spine='spine', entity_keys=['customer_id'], cutoff='as_of_ts',
    snapshot=ref('customers_snapshot'), columns=['status'], prefix='profile_') }}
)

select * from result
