-- expect: LK003
-- note: held-out batch 2, written without running the analyser first
select change_id, customer_id, event_ts, known_at,
last_value(to_plan) over (partition by customer_id order by event_ts rows between unbounded preceding and unbounded following) as final_plan
from {{ ref('plan_changes') }}
