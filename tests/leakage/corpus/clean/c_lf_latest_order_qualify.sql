-- expect: clean
-- meta: {kind: training_set, entity: [customer_id], cutoff: label_ts, label: churned, horizon: 30 days}
select e.customer_id, e.label_ts, e.churned, o.amount as last_order_amount, o.status as last_order_status
from {{ ref('labelled_examples') }} as e
left join {{ ref('orders') }} as o
  on o.customer_id = e.customer_id and o.event_ts <= e.label_ts and o.known_at <= e.label_ts
qualify row_number() over (partition by e.customer_id, e.label_ts order by o.event_ts desc, o.order_id desc) = 1
