-- expect: LK005
-- note: held-out batch 3, written without running the analyser first
-- meta: {kind: training_set, entity: [customer_id], cutoff: as_of_ts, label: churned_30d, horizon: 30 days}
select f.customer_id, f.as_of_ts, sum(f.orders_90d) as orders_90d, max(l.churned_30d) as churned_30d
from {{ ref('order_features') }} as f join {{ ref('churn_labels') }} as l using (customer_id, as_of_ts)
group by 1, 2 having max(l.churned_30d) = 1 or sum(f.orders_90d) > 0
