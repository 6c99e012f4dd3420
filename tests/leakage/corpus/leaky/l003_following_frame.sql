-- expect: LK003
select order_id, customer_id, event_ts, known_at,
       sum(amount) over (partition by customer_id order by event_ts
                         rows between current row and 3 following) as amount_next_4
from {{ ref('orders') }}
