-- expect: LK001
-- why: orders are joined on the customer only: every example counts orders from after its label_ts
-- meta: {kind: training_set, entity: [customer_id], cutoff: label_ts, label: churned, horizon: 30 days}
select e.customer_id, e.label_ts, e.churned, count(o.order_id) as orders_total
from {{ source('raw', 'examples') }} as e
left join {{ source('raw', 'orders') }} as o on o.customer_id = e.customer_id
group by all
