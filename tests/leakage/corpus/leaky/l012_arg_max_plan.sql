-- expect: LK012
select customer_id, arg_max(to_plan, event_ts) as plan
from {{ ref('plan_changes') }}
group by customer_id
