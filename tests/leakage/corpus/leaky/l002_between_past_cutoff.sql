-- expect: LK002
select s.customer_id, s.as_of_ts, sum(o.amount) as spend
from {{ ref('spine') }} as s
join {{ ref('orders') }} as o
  on o.customer_id = s.customer_id
 and o.event_ts between s.as_of_ts - interval '30 days' and s.as_of_ts + interval '7 days'
 and o.known_at <= s.as_of_ts
group by 1, 2
