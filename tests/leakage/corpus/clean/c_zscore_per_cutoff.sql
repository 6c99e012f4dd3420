-- expect: clean
select customer_id, as_of_ts,
       (orders_90d - avg(orders_90d) over (partition by as_of_ts))
         / stddev(orders_90d) over (partition by as_of_ts) as orders_90d_z
from {{ ref('order_features') }}
