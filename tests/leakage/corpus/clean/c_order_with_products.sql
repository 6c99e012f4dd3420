-- expect: clean
select o.order_id, o.customer_id, o.event_ts, o.known_at, p.category
from {{ ref('orders') }} as o
left join {{ ref('products') }} as p on p.product_id = o.order_id
