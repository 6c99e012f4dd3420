{{ config(enabled=project_name == "sqltrain") }}
-- Current state of customers (SCD1). Use it for keys and immutable attributes only;
-- anything that changes is read as of a cutoff through the customers_snapshot snapshot.
select
    cast(customer_id as bigint)   as customer_id,
    cast(signup_at as timestamp)  as signup_at,
    country,
    plan,
    status,
    marketing_opt_in,
    cast(updated_at as timestamp) as updated_at
from {{ source('raw', 'customers') }}
