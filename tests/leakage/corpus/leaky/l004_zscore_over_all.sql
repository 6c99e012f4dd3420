-- expect: LK004
select customer_id, as_of_ts,
       (orders_90d - avg(orders_90d) over ()) / stddev(orders_90d) over () as orders_90d_z
from {{ ref('order_features') }}
