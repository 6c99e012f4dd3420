-- expect: LK004
select customer_id, as_of_ts, percent_rank() over (order by amount_90d) as amount_pct
from {{ ref('order_features') }}
