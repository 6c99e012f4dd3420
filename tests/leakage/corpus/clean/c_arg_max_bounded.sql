-- expect: clean
select s.customer_id, s.as_of_ts, arg_max(p.to_plan, p.event_ts) as plan
from {{ ref('spine') }} as s
join {{ ref('plan_changes') }} as p
  on p.customer_id = s.customer_id and p.event_ts <= s.as_of_ts and p.known_at <= s.as_of_ts
group by 1, 2
