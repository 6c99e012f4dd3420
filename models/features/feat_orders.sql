{{ config(enabled=project_name == "sqltrain") }}
-- One row per order with its basket size: a feature source (entity customer_id, event_ts, known_at).
-- Lines share their order's times, so joining them on order_id reads nothing new.
with lines as (
    select
        order_id,
        sum(quantity)            as items,
        count(distinct category) as categories
    from {{ ref('stg_order_items') }}
    group by order_id
)

select
    o.order_id,
    o.customer_id,
    o.event_ts,
    o.known_at,
    o.amount,
    coalesce(lines.items, 0)                          as items,
    coalesce(lines.categories, 0)                     as categories,
    case when o.status = 'refunded' then 1 else 0 end as is_refund
from {{ ref('stg_orders') }} as o
left join lines on o.order_id = lines.order_id
