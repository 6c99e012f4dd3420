-- expect: LK001
select s.customer_id, s.as_of_ts, sum(u.minutes) as minutes
from {{ ref('spine') }} as s
left join {{ ref('daily_usage') }} as u on u.customer_id = s.customer_id
group by 1, 2
