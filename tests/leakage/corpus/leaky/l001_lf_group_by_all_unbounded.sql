-- expect: LK001
-- why: orders are joined on the customer only, so each example counts orders placed after its label_ts
-- meta: {kind: training_set, entity: [customer_id], cutoff: label_ts, label: churned, horizon: 30 days}
select e.customer_id, e.label_ts, e.churned, e.region, count(o.order_id) as orders_total
from {{ ref('labelled_examples') }} as e
left join {{ ref('orders') }} as o on o.customer_id = e.customer_id
group by all
