-- expect: LK005
-- why: region_churn_rate comes from an upstream model that averages every example's label per region
-- meta: {kind: training_set, entity: [customer_id], cutoff: label_ts, label: churned, horizon: 30 days}
select e.customer_id, e.label_ts, e.region, r.region_churn_rate, e.churned
from {{ ref('labelled_examples') }} as e
left join {{ ref('up_region_churn_rates') }} as r on r.region = e.region
