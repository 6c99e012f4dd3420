-- The plan each customer is on today.
select customer_id, arg_max(to_plan, event_ts) as plan
from {{ ref('plan_changes') }}
group by customer_id
