-- expect: clean
select order_id, customer_id, event_ts, known_at, amount
from {{ ref('orders') }}
qualify row_number() over (partition by order_id order by known_at asc) = 1
