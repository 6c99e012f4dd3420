-- expect: clean
select s.customer_id, s.as_of_ts, u.orders_90d
from {{ ref('spine') }} as s
left join {{ ref('up_orders_bounded_per_cutoff') }} as u
  on u.customer_id = s.customer_id and u.as_of_ts = s.as_of_ts
