-- expect: LK005
-- note: held-out batch, written without running the analyser first
-- meta: {kind: feature_source, entity: [customer_id]}
select f.customer_id, f.as_of_ts, f.orders_90d, l.churned_30d as was_churned
from {{ ref('order_features') }} as f join {{ ref('churn_labels') }} as l using (customer_id, as_of_ts)
