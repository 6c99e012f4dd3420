-- expect: LK005
-- why: orders are only counted for churned examples, so orders_if_churned is non-zero only when the label is 1
-- meta: {kind: training_set, entity: [customer_id], cutoff: label_ts, label: churned, horizon: 30 days}
select e.customer_id, e.label_ts, e.churned,
       count(o.order_id) filter (where e.churned = 1) as orders_if_churned
from {{ ref('labelled_examples') }} as e
left join {{ ref('orders') }} as o
  on o.customer_id = e.customer_id and o.event_ts <= e.label_ts and o.known_at <= e.label_ts
group by e.customer_id, e.label_ts, e.churned
