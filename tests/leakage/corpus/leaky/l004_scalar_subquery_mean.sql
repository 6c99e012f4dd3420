-- expect: LK004
select customer_id, as_of_ts,
       orders_90d / (select avg(orders_90d) from {{ ref('order_features') }}) as orders_rel
from {{ ref('order_features') }}
