-- expect: LK000
select customer_id, as_of_ts,
       orders_90d / avg(orders_90d) over () as orders_rel  -- sqltrain: ignore[LK004]
from {{ ref('order_features') }}
