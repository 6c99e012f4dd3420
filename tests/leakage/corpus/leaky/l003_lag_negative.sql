-- expect: LK003
select order_id, customer_id, event_ts, known_at,
       lag(amount, -1) over (partition by customer_id order by event_ts) as next_amount
from {{ ref('orders') }}
