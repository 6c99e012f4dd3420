-- expect: LK003
select order_id, customer_id, event_ts, known_at,
       row_number() over (partition by customer_id order by event_ts desc) as orders_after
from {{ ref('orders') }}
