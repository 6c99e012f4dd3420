-- expect: clean
-- note: held-out batch 3, written without running the analyser first
with a as (select s.customer_id, s.as_of_ts, count(o.order_id) as n_orders from {{ ref('spine') }} as s
  left join {{ ref('orders') }} as o on o.customer_id = s.customer_id and o.event_ts <= s.as_of_ts and o.known_at <= s.as_of_ts group by 1, 2),
b as (select s.customer_id, s.as_of_ts, count(w.session_id) as n_sessions from {{ ref('spine') }} as s
  left join {{ ref('sessions') }} as w on w.customer_id = s.customer_id and w.event_ts <= s.as_of_ts and w.known_at <= s.as_of_ts group by 1, 2)
select a.customer_id, a.as_of_ts, a.n_orders / nullif(b.n_sessions, 0) as conversion
from a join b on a.customer_id = b.customer_id and a.as_of_ts = b.as_of_ts
