-- expect: LK005
-- meta: {kind: feature_source, entity: [customer_id]}
select f.customer_id, f.as_of_ts, f.orders_90d
from {{ ref('order_features') }} as f
join {{ ref('churn_labels') }} as l
  on l.customer_id = f.customer_id and l.as_of_ts = f.as_of_ts and l.churned_30d = 1
