-- expect: clean
-- note: the portable implementation
with spine as (select customer_id, as_of_ts from {{ ref('spine') }}),

result as (
{{ sqltrain.default__scd2_as_of_join('spine', ['customer_id'], 'as_of_ts', ref('customers_snapshot'),
    ['country'], none, '', 'dbt_valid_from', 'dbt_valid_to', var('as_of')) }}
)

select * from result
