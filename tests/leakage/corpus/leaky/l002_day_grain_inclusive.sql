-- expect: LK002
select s.customer_id, s.as_of_ts, sum(u.minutes) as minutes_30d
from {{ ref('spine') }} as s
join {{ ref('daily_usage') }} as u
  on u.customer_id = s.customer_id
 and u.usage_date <= s.as_of_ts
 and u.usage_date > s.as_of_ts - interval '30 days'
group by 1, 2
