-- expect: LK005
-- why: orders are counted only where the example did not churn, so orders_if_retained is zero for every churner
-- meta: {kind: training_set, entity: [customer_id], cutoff: label_ts, label: churned, horizon: 30 days}
select e.customer_id, e.label_ts, e.churned,
       sum(case when e.churned = 0 then 1 else 0 end) as orders_if_retained
from {{ source('raw', 'examples') }} as e
left join {{ source('raw', 'orders') }} as o
  on o.customer_id = e.customer_id and o.ordered_at <= e.label_ts and o.loaded_at <= e.label_ts
group by e.customer_id, e.label_ts, e.churned
