-- expect: LK004
select customer_id, as_of_ts, ntile(10) over (order by orders_90d) as orders_decile
from {{ ref('order_features') }}
