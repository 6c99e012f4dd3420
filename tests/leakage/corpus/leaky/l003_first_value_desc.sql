-- expect: LK003
select change_id, customer_id, event_ts, known_at,
       first_value(to_plan) over (partition by customer_id order by event_ts desc) as final_plan
from {{ ref('plan_changes') }}
