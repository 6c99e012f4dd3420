-- expect: clean
select s.customer_id, s.as_of_ts, 'orders' as kind, count(o.order_id) as n
from {{ ref('spine') }} as s
left join {{ ref('orders') }} as o
  on o.customer_id = s.customer_id and o.event_ts <= s.as_of_ts and o.known_at <= s.as_of_ts
group by 1, 2
union all
select s.customer_id, s.as_of_ts, 'sessions' as kind, count(w.session_id) as n
from {{ ref('spine') }} as s
left join {{ ref('sessions') }} as w
  on w.customer_id = s.customer_id and w.event_ts <= s.as_of_ts and w.known_at <= s.as_of_ts
group by 1, 2
