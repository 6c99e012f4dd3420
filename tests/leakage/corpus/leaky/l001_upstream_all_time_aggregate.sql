-- expect: LK001
select s.customer_id, s.as_of_ts, u.orders_all_time
from {{ ref('spine') }} as s
left join {{ ref('up_orders_per_customer') }} as u on u.customer_id = s.customer_id
