-- expect: clean
-- note: held-out batch, written without running the analyser first
select customer_id, as_of_ts, a.orders_90d, b.churned_30d
from {{ ref('order_features') }} as a join {{ ref('churn_labels') }} as b using (customer_id, as_of_ts)
