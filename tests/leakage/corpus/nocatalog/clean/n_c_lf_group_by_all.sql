-- expect: clean
-- meta: {kind: training_set, entity: [customer_id], cutoff: label_ts, label: churned, horizon: 30 days}
select e.customer_id, e.label_ts, e.churned, e.region, count(o.order_id) as orders_90d
from {{ source('raw', 'examples') }} as e
left join {{ source('raw', 'orders') }} as o
  on o.customer_id = e.customer_id
 and o.ordered_at <= e.label_ts and o.loaded_at <= e.label_ts
 and o.ordered_at > e.label_ts - interval '90 days'
group by all
