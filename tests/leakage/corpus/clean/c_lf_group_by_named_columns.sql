-- expect: clean
-- meta: {kind: training_set, entity: [customer_id], cutoff: label_ts, label: churned, horizon: 30 days}
select e.customer_id, e.label_ts, e.region, e.segment, e.churned,
       count(o.order_id) as orders_30d,
       coalesce(sum(o.amount), 0) as spend_30d
from {{ ref('labelled_examples') }} as e
left join {{ ref('orders') }} as o
  on o.customer_id = e.customer_id
 and o.event_ts <= e.label_ts and o.known_at <= e.label_ts
 and o.event_ts > e.label_ts - interval '30 days'
group by e.customer_id, e.label_ts, e.region, e.segment, e.churned
