-- expect: LK005
-- meta: {kind: training_set, entity: [customer_id], cutoff: as_of_ts, label: churned_30d, horizon: 30 days}
select l.customer_id, l.as_of_ts, r.churn_rate, l.churned_30d
from {{ ref('churn_labels') }} as l
left join {{ ref('up_customer_churn_rate') }} as r on r.customer_id = l.customer_id
