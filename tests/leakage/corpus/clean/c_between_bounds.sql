-- expect: clean
select s.customer_id, s.as_of_ts, sum(o.amount) as spend_90d
from {{ ref('spine') }} as s
left join {{ ref('orders') }} as o
  on o.customer_id = s.customer_id
 and o.event_ts between s.as_of_ts - interval '90 days' and s.as_of_ts
 and o.known_at <= s.as_of_ts
group by 1, 2
