-- expect: LK005
-- meta: {kind: training_set, entity: [customer_id], cutoff: as_of_ts, label: churned_30d, horizon: 30 days}
select customer_id, as_of_ts, orders_90d, churned_30d, churned_30d * 1.0 as churn_score
from {{ ref('training_base') }}
