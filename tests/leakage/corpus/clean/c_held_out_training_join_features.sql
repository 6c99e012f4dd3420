-- expect: clean
-- note: held-out batch 2, written without running the analyser first
-- meta: {kind: training_set, entity: [customer_id], cutoff: as_of_ts, label: churned_30d, horizon: 30 days}
select l.customer_id, l.as_of_ts, f.orders_90d, f.amount_90d, l.churned_30d
from {{ ref('churn_labels') }} as l left join {{ ref('order_features') }} as f
on f.customer_id = l.customer_id and f.as_of_ts = l.as_of_ts
