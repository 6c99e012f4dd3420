-- expect: clean
-- meta: {kind: training_set, entity: [customer_id], cutoff: as_of_ts, label: churned_30d, horizon: 30 days}
select s.customer_id, s.as_of_ts, s.churned_30d, s.region, count(o.order_id) as orders_60d
from {{ ref('example_spine') }} as s, {{ ref('orders') }} as o
where o.customer_id = s.customer_id
  and o.event_ts <= s.as_of_ts
  and o.known_at <= s.as_of_ts
  and o.event_ts > s.as_of_ts - interval '60 days'
group by s.customer_id, s.as_of_ts, s.churned_30d, s.region
