-- expect: clean
-- meta: {kind: training_set, entity: [customer_id], cutoff: label_ts, label: churned, horizon: 30 days}
select e.customer_id, e.label_ts, e.churned, e.region, count(o.order_id) as orders_90d
from {{ ref('labelled_examples') }} as e
left join {{ ref('orders') }} as o
  on o.customer_id = e.customer_id
 and o.event_ts <= e.label_ts
 and o.known_at <= e.label_ts
 and o.event_ts > e.label_ts - interval '90 days'
group by all
