-- expect: LK009
-- note: held-out batch 2, written without running the analyser first
select s.customer_id, s.as_of_ts, max(l.churned_30d) as churned_before
from {{ ref('spine') }} as s left join {{ ref('churn_labels') }} as l
on l.customer_id = s.customer_id and l.as_of_ts < s.as_of_ts - interval '10 days' group by 1, 2
