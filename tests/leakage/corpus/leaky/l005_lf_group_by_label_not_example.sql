-- expect: LK005
-- why: grouped by customer and label instead of by example, each row pools the orders of all the customer's examples with that label: the label decides what is counted
-- meta: {kind: training_set, entity: [customer_id], cutoff: label_ts, label: churned, horizon: 30 days}
select e.customer_id, e.churned, max(e.label_ts) as label_ts, count(o.order_id) as orders_in_group
from {{ ref('labelled_examples') }} as e
left join {{ ref('orders') }} as o
  on o.customer_id = e.customer_id
 and o.event_ts <= e.label_ts and o.known_at <= e.label_ts
group by e.customer_id, e.churned
