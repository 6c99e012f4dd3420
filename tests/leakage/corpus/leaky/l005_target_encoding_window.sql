-- expect: LK005,LK003
-- meta: {kind: training_set, entity: [customer_id], cutoff: as_of_ts, label: churned_30d, horizon: 30 days}
select customer_id, as_of_ts, country, churned_30d,
       avg(churned_30d) over (partition by country) as country_churn_rate
from {{ ref('training_base') }}
