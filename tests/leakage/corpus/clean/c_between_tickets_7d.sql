-- expect: clean
-- note: held-out batch, written without running the analyser first
select s.customer_id, s.as_of_ts, count(t.ticket_id) as n
from {{ ref('spine') }} as s left join {{ ref('tickets') }} as t on t.customer_id = s.customer_id
and t.event_ts between s.as_of_ts - interval '7 days' and s.as_of_ts group by 1, 2
