-- expect: clean
-- meta: {kind: training_set, entity: [customer_id], cutoff: label_ts, label: churned, horizon: 30 days}
select e.customer_id, e.label_ts, e.region, f.orders_30d, f.max_order_30d, e.churned
from {{ ref('labelled_examples') }} as e
left join {{ ref('up_example_order_features') }} as f
  on f.customer_id = e.customer_id and f.label_ts = e.label_ts
