-- expect: LK005
-- why: the churn rate of the region's other examples at the same cutoff is made of labels from after that cutoff
-- meta: {kind: training_set, entity: [customer_id], cutoff: as_of_ts, label: churned_30d, horizon: 30 days}
select s.customer_id, s.as_of_ts, s.region, s.churned_30d,
       avg(s.churned_30d) over (partition by s.region, s.as_of_ts) as region_rate_at_cutoff
from {{ ref('example_spine') }} as s
