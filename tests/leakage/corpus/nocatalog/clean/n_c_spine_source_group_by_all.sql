-- expect: clean
-- meta: {kind: training_set, entity: [customer_id], cutoff: as_of_ts, label: churned_30d, horizon: 30 days}
select s.customer_id, s.as_of_ts, s.region, s.churned_30d, count(w.session_id) as sessions_30d
from {{ source('raw', 'spine') }} as s
left join {{ source('raw', 'sessions') }} as w
  on w.customer_id = s.customer_id
 and w.started_at <= s.as_of_ts
 and w.started_at > s.as_of_ts - interval '30 days'
group by all
