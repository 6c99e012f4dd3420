-- expect: LK005,LK003
-- why: region_churn_rate averages the label over all the region's examples, later cutoffs included
-- meta: {kind: training_set, entity: [customer_id], cutoff: as_of_ts, label: churned_30d, horizon: 30 days}
select s.customer_id, s.as_of_ts, s.region, s.churned_30d,
       avg(s.churned_30d) over (partition by s.region) as region_churn_rate
from {{ source('raw', 'spine') }} as s
