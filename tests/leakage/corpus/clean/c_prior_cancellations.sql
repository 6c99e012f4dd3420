-- expect: clean
select s.customer_id, s.as_of_ts, count(e.change_id) as cancels_before
from {{ ref('spine') }} as s
left join {{ ref('churn_events') }} as e
  on e.customer_id = s.customer_id and e.event_ts <= s.as_of_ts and e.known_at <= s.as_of_ts
group by 1, 2
