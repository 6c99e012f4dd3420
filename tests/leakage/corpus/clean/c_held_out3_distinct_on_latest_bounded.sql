-- expect: clean
-- note: held-out batch 3, written without running the analyser first
select distinct on (s.customer_id, s.as_of_ts) s.customer_id, s.as_of_ts, p.to_plan
from {{ ref('spine') }} as s join {{ ref('plan_changes') }} as p
on p.customer_id = s.customer_id and p.event_ts <= s.as_of_ts and p.known_at <= s.as_of_ts
order by s.customer_id, s.as_of_ts, p.event_ts desc
