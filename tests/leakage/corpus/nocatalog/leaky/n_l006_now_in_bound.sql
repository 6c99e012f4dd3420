-- expect: LK006
-- why: the window start follows the build's wall clock, so a snapshot as-of D changes with the day it is rebuilt (not a function of data known by D)
-- meta: {kind: training_set, entity: [customer_id], cutoff: as_of_ts, label: churned_30d, horizon: 30 days}
select s.customer_id, s.as_of_ts, s.churned_30d, count(w.session_id) as sessions_recent
from {{ source('raw', 'spine') }} as s
left join {{ source('raw', 'sessions') }} as w
  on w.customer_id = s.customer_id
 and w.started_at <= s.as_of_ts
 and w.started_at > now() - interval '30 days'
group by all
