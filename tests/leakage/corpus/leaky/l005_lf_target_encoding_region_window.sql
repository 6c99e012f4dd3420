-- expect: LK005,LK003
-- why: region_churn_rate averages the churn label of every example in the region, later ones included: the answer, smoothed
-- meta: {kind: training_set, entity: [customer_id], cutoff: label_ts, label: churned, horizon: 30 days}
select e.customer_id, e.label_ts, e.region, e.churned,
       avg(e.churned) over (partition by e.region) as region_churn_rate
from {{ ref('labelled_examples') }} as e
