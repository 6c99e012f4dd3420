-- expect: clean
select order_id, customer_id, event_ts, known_at,
       case when status = 'refunded' then 1 else 0 end as is_refund
from {{ ref('orders') }}
