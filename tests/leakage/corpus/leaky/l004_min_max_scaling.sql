-- expect: LK004
select customer_id, as_of_ts,
       (amount_90d - min(amount_90d) over ()) / (max(amount_90d) over () - min(amount_90d) over ()) as amount_scaled
from {{ ref('order_features') }}
