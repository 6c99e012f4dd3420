-- expect: LK002
-- why: visit_date is a date, so `<=` the snapshot date counts the visits of the whole cutoff day, after midnight
-- meta: {kind: training_set, entity: [account_id, site_id], cutoff: snapshot_date, label: converted, horizon: 14 days}
select a.account_id, a.site_id, a.snapshot_date, a.converted, sum(v.visits) as visits_7d
from {{ ref('account_examples') }} as a
left join {{ ref('site_visits_daily') }} as v
  on v.account_id = a.account_id and v.site_id = a.site_id
 and v.visit_date <= a.snapshot_date
 and v.visit_date > a.snapshot_date - interval '7 days'
group by 1, 2, 3, 4
