-- expect: clean
-- note: held-out batch 4, written without running the analyser first
-- meta: {kind: training_set, entity: [customer_id], cutoff: label_ts, label: churned, horizon: 30 days}
select e.customer_id, e.label_ts, e.churned,
       count(*) filter (where o.status = 'refunded') as refunds_90d,
       count(o.order_id) as orders_90d
from {{ ref('nu_stg_examples') }} as e
left join {{ ref('nu_stg_orders') }} as o
  on o.customer_id = e.customer_id
 and o.ordered_at <= e.label_ts and o.loaded_at <= e.label_ts
 and o.ordered_at > e.label_ts - interval '90 days'
group by e.customer_id, e.label_ts, e.churned
