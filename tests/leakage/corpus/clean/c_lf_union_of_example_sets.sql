-- expect: clean
-- meta: {kind: training_set, entity: [customer_id], cutoff: as_of_ts, label: churned_30d, horizon: 30 days}
with examples as (
    select customer_id, as_of_ts, region, churned_30d from {{ ref('example_spine') }}
    union all
    select customer_id, as_of_ts, region, churned_30d from {{ source('raw', 'examples_src') }}
)
select x.customer_id, x.as_of_ts, x.region, x.churned_30d, count(o.order_id) as orders_30d
from examples as x
left join {{ ref('orders') }} as o
  on o.customer_id = x.customer_id and o.event_ts <= x.as_of_ts and o.known_at <= x.as_of_ts
 and o.event_ts > x.as_of_ts - interval '30 days'
group by all
