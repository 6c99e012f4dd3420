-- expect: clean
select cast(order_id as bigint) as order_id, customer_id, event_ts, known_at, amount, status
from {{ ref('orders') }}
