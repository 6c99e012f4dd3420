-- expect: clean
select s.customer_id, s.as_of_ts, date_diff('day', max(o.event_ts), s.as_of_ts) as days_since_last_order
from {{ ref('spine') }} as s
left join {{ ref('orders') }} as o
  on o.customer_id = s.customer_id and o.event_ts <= s.as_of_ts and o.known_at <= s.as_of_ts
group by s.customer_id, s.as_of_ts
