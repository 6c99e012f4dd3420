-- Bounded order features per labelled example (no label column).
select e.customer_id, e.label_ts, count(o.order_id) as orders_30d, max(o.amount) as max_order_30d
from {{ ref('labelled_examples') }} as e
left join {{ ref('orders') }} as o
  on o.customer_id = e.customer_id
 and o.event_ts <= e.label_ts and o.known_at <= e.label_ts
 and o.event_ts > e.label_ts - interval '30 days'
group by e.customer_id, e.label_ts
