-- expect: clean
select customer_id, as_of_ts,
       avg(orders_90d) over (order by as_of_ts range between unbounded preceding and current row) as mean_to_date
from {{ ref('order_features') }}
