-- expect: LK003
select order_id, customer_id, event_ts, known_at,
       count(*) over (partition by customer_id) as orders_ever
from {{ ref('orders') }}
