-- expect: LK005
-- why: risk_score adds the label itself to a bounded count, so the feature carries the answer
-- meta: {kind: training_set, entity: [customer_id], cutoff: label_ts, label: churned, horizon: 30 days}
select e.customer_id, e.label_ts, e.churned,
       count(o.order_id) + 10 * e.churned as risk_score
from {{ ref('labelled_examples') }} as e
left join {{ ref('orders') }} as o
  on o.customer_id = e.customer_id and o.event_ts <= e.label_ts and o.known_at <= e.label_ts
group by e.customer_id, e.label_ts, e.churned
