-- expect: clean
with changes as (
    select customer_id, to_plan, greatest(event_ts, known_at) as visible_at
    from {{ ref('plan_changes') }}
)
select s.customer_id, s.as_of_ts, c.to_plan as plan
from {{ ref('spine') }} as s
asof left join changes as c
  on c.customer_id = s.customer_id and s.as_of_ts >= c.visible_at
