-- expect: clean
-- meta: {kind: training_set, entity: [account_id, region_id], cutoff: cutoff_date, label: expanded, horizon: 28 days}
select a.account_id, a.region_id, a.cutoff_date, a.expanded, a.tier,
       coalesce(sum(u.units), 0) as units_28d
from {{ source('raw', 'accounts') }} as a
left join {{ source('raw', 'usage_daily') }} as u
  on u.account_id = a.account_id and u.region_id = a.region_id
 and u.usage_date < a.cutoff_date
 and u.usage_date >= a.cutoff_date - interval '28 days'
group by all
