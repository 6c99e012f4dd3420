-- expect: LK003
select order_id, customer_id, event_ts, known_at,
       lead(event_ts) over (partition by customer_id order by event_ts) as next_order_ts
from {{ ref('orders') }}
