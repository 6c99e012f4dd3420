-- expect: LK004
with stats as (
    select avg(amount) as mean_amount from {{ ref('orders') }}
)
select f.customer_id, f.as_of_ts, f.amount_90d / stats.mean_amount as amount_ratio
from {{ ref('order_features') }} as f
cross join stats
