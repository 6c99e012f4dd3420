-- expect: LK003
select order_id, customer_id, event_ts, known_at,
       avg(amount) over (partition by customer_id order by event_ts
                         range between unbounded preceding and unbounded following) as avg_amount
from {{ ref('orders') }}
