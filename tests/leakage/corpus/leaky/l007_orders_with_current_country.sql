-- expect: LK007
select o.order_id, o.customer_id, o.event_ts, o.known_at, o.amount, c.country
from {{ ref('orders') }} as o
left join {{ ref('customers') }} as c on c.customer_id = o.customer_id
