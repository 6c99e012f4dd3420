-- expect: LK010
select s.customer_id, s.as_of_ts, count(o.order_id) as orders
from {{ ref('spine') }} as s
left join {{ ref('orders') }} as o
  on o.customer_id = s.customer_id and o.event_ts <= s.as_of_ts
group by 1, 2
