-- expect: clean
select order_id, customer_id, event_ts, known_at,
       sum(amount) over (partition by customer_id order by event_ts
                         rows between unbounded preceding and current row) as amount_to_date
from {{ ref('orders') }}
