-- expect: clean
-- meta: {kind: training_set, entity: [customer_id], cutoff: as_of_ts, label: churned_30d, horizon: 30 days}
select f.customer_id, f.as_of_ts, f.orders_90d, f.amount_90d, l.churned_30d
from {{ ref('order_features') }} as f
join {{ ref('churn_labels') }} as l
  on l.customer_id = f.customer_id and l.as_of_ts = f.as_of_ts
