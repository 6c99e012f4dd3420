-- expect: LK002
select s.customer_id, s.as_of_ts, max(p.event_ts) as last_change_ts
from {{ ref('spine') }} as s
join {{ ref('plan_changes') }} as p on p.customer_id = s.customer_id
where p.event_ts <= s.as_of_ts + interval '12 hours'
  and p.known_at <= s.as_of_ts + interval '12 hours'
group by 1, 2
