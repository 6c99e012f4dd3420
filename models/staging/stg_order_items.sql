{{ config(enabled=project_name == "sqltrain") }}
select
    cast(order_item_id as bigint)      as order_item_id,
    cast(order_id as bigint)           as order_id,
    cast(product_id as bigint)         as product_id,
    category,
    cast(quantity as integer)          as quantity,
    cast(unit_price as decimal(12, 2)) as unit_price
from {{ source('raw', 'order_items') }}
