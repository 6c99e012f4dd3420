-- expect: clean
select order_id, customer_id, event_ts, known_at,
       sum(amount) over (partition by customer_id order by event_ts
                         range between interval '30 days' preceding and current row) as amount_30d
from {{ ref('orders') }}
