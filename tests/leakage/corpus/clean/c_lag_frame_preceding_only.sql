-- expect: clean
select order_id, customer_id, event_ts, known_at,
       avg(amount) over (partition by customer_id order by event_ts
                         rows between 3 preceding and 1 preceding) as avg_prev_3
from {{ ref('orders') }}
