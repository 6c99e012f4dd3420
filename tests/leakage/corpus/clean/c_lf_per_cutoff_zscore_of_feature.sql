-- expect: clean
-- meta: {kind: training_set, entity: [customer_id], cutoff: as_of_ts, label: churned_30d, horizon: 30 days}
-- normalised per cutoff, over features only: no label value enters the statistic
with feats as (
    select s.customer_id, s.as_of_ts, s.region, s.churned_30d, count(o.order_id) as orders_90d
    from {{ ref('example_spine') }} as s
    left join {{ ref('orders') }} as o
      on o.customer_id = s.customer_id and o.event_ts <= s.as_of_ts and o.known_at <= s.as_of_ts
     and o.event_ts > s.as_of_ts - interval '90 days'
    group by all
)
select customer_id, as_of_ts, region, churned_30d, orders_90d,
       orders_90d - avg(orders_90d) over (partition by as_of_ts) as orders_90d_centered
from feats
