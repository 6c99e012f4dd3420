-- expect: clean
-- note: held-out batch 3, written without running the analyser first
select s.customer_id, s.as_of_ts, o.amount,
  sum(o.amount) over (partition by s.customer_id, s.as_of_ts order by o.event_ts) as running
from {{ ref('spine') }} as s join {{ ref('orders') }} as o
on o.customer_id = s.customer_id and o.event_ts <= s.as_of_ts and o.known_at <= s.as_of_ts
