-- expect: clean
select order_id, customer_id, event_ts, known_at,
       lag(event_ts) over (partition by customer_id order by event_ts) as previous_order_ts
from {{ ref('orders') }}
