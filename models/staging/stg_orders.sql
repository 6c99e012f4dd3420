{{ config(enabled=project_name == "sqltrain") }}
select
    cast(order_id as bigint)       as order_id,
    cast(customer_id as bigint)    as customer_id,
    cast(ordered_at as timestamp)  as event_ts,
    cast(_loaded_at as timestamp)  as known_at,
    status,
    cast(amount as decimal(12, 2)) as amount,
    channel
from {{ source('raw', 'orders') }}
