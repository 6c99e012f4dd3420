-- expect: clean
select s.customer_id, s.as_of_ts, count(o.order_id) as orders_30d
from {{ ref('spine') }} as s
left join {{ ref('orders') }} as o
  on o.customer_id = s.customer_id
 and o.event_ts <= s.as_of_ts
 and o.known_at <= s.as_of_ts
 and o.event_ts > s.as_of_ts - interval '30 days'
group by all
