-- expect: LK012
select s.customer_id, s.as_of_ts, max_by(p.to_plan, p.event_ts) as plan
from {{ ref('spine') }} as s
join {{ ref('plan_changes') }} as p on p.customer_id = s.customer_id
group by 1, 2
