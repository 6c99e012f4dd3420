-- expect: clean
-- meta: {kind: training_set, entity: [customer_id], cutoff: as_of_ts, label: churned_30d, horizon: 30 days}
select s.customer_id, s.as_of_ts, s.region, s.plan_tier, s.churned_30d,
       count(w.session_id) as sessions_7d,
       sum(w.page_views) as page_views_7d
from {{ ref('example_spine') }} as s
left join {{ ref('sessions') }} as w
  on w.customer_id = s.customer_id
 and w.event_ts <= s.as_of_ts and w.known_at <= s.as_of_ts
 and w.event_ts > s.as_of_ts - interval '7 days'
group by all
