-- expect: LK012
-- note: held-out batch, written without running the analyser first
select s.customer_id, s.as_of_ts, p.to_plan
from {{ ref('spine') }} as s join {{ ref('plan_changes') }} as p on p.customer_id = s.customer_id
qualify rank() over (partition by s.customer_id, s.as_of_ts order by p.event_ts desc) = 1
