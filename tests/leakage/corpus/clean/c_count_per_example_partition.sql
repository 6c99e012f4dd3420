-- expect: clean
select customer_id, as_of_ts, orders_90d,
       count(*) over (partition by customer_id, as_of_ts) as rows_per_example
from {{ ref('order_features') }}
