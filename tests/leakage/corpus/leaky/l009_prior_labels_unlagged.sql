-- expect: LK009
select s.customer_id, s.as_of_ts, sum(l.churned_30d) as past_churns
from {{ ref('spine') }} as s
left join {{ ref('churn_labels') }} as l
  on l.customer_id = s.customer_id and l.as_of_ts < s.as_of_ts
group by 1, 2
