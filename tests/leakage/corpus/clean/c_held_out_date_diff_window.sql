-- expect: clean
-- note: held-out batch 2, written without running the analyser first
select s.customer_id, s.as_of_ts, count(o.order_id) as orders_30d
from {{ ref('spine') }} as s left join {{ ref('orders') }} as o on o.customer_id = s.customer_id
and date_diff('day', o.event_ts, s.as_of_ts) between 0 and 30 and o.known_at <= s.as_of_ts group by 1, 2
