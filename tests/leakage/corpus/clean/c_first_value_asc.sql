-- expect: clean
select change_id, customer_id, event_ts, known_at,
       first_value(to_plan) over (partition by customer_id order by event_ts) as first_plan
from {{ ref('plan_changes') }}
