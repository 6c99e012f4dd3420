-- expect: LK012
with ranked as (
    select customer_id, to_plan,
           row_number() over (partition by customer_id order by event_ts desc) as recency
    from {{ ref('plan_changes') }}
)
select customer_id, to_plan as current_plan
from ranked
where recency = 1
