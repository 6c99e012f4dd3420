-- expect: clean
-- meta: {kind: training_set, entity: [customer_id], cutoff: label_ts, label: churned, horizon: 30 days}
select e.customer_id, e.label_ts, e.segment, e.churned, coalesce(sum(o.amount), 0) as spend_30d
from {{ ref('nu_stg_examples') }} as e
left join {{ ref('nu_stg_orders') }} as o
  on o.customer_id = e.customer_id
 and o.ordered_at <= e.label_ts and o.loaded_at <= e.label_ts
 and o.ordered_at > e.label_ts - interval '30 days'
group by e.customer_id, e.label_ts, e.segment, e.churned
