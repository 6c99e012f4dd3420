-- expect: LK002
-- why: usage_date is a date: `<=` the cutoff date counts the cutoff day's usage, which happens after the cutoff instant
-- meta: {kind: training_set, entity: [account_id, region_id], cutoff: cutoff_date, label: expanded, horizon: 28 days}
select a.account_id, a.region_id, a.cutoff_date, a.expanded, sum(u.units) as units_7d
from {{ source('raw', 'accounts') }} as a
left join {{ source('raw', 'usage_daily') }} as u
  on u.account_id = a.account_id and u.region_id = a.region_id
 and u.usage_date <= a.cutoff_date
 and u.usage_date > a.cutoff_date - interval '7 days'
group by all
