-- expect: LK001,LK006
-- note: held-out batch 2, written without running the analyser first
select s.customer_id, s.as_of_ts, count(o.order_id) as n
from {{ ref('spine') }} as s left join {{ ref('orders') }} as o
on o.customer_id = s.customer_id and o.event_ts <= current_date and o.known_at <= current_date group by 1, 2
