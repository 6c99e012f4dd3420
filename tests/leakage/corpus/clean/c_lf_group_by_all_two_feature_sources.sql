-- expect: clean
-- meta: {kind: training_set, entity: [customer_id], cutoff: as_of_ts, label: churned_30d, horizon: 30 days}
-- two bounded feature reads pre-aggregated per example, then GROUP BY ALL over the example's columns and the label
with order_counts as (
    select s.customer_id, s.as_of_ts, count(o.order_id) as n
    from {{ ref('example_spine') }} as s
    join {{ ref('orders') }} as o
      on o.customer_id = s.customer_id and o.event_ts <= s.as_of_ts and o.known_at <= s.as_of_ts
    group by 1, 2
)
select s.customer_id, s.as_of_ts, s.region, s.plan_tier, s.churned_30d,
       coalesce(max(oc.n), 0) as orders_all_time_to_cutoff,
       count(t.ticket_id) as tickets_30d
from {{ ref('example_spine') }} as s
left join order_counts as oc on oc.customer_id = s.customer_id and oc.as_of_ts = s.as_of_ts
left join {{ ref('tickets') }} as t
  on t.customer_id = s.customer_id
 and t.event_ts <= s.as_of_ts
 and t.event_ts > s.as_of_ts - interval '30 days'
group by all
