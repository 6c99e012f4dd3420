-- expect: clean
-- meta: {kind: training_set, entity: [account_id, site_id], cutoff: snapshot_date, label: converted, horizon: 14 days}
-- visit_date is a date: strictly before the cutoff day
with visits as (
    select a.account_id, a.site_id, a.snapshot_date, sum(v.visits) as visits_7d
    from {{ ref('account_examples') }} as a
    join {{ ref('site_visits_daily') }} as v
      on v.account_id = a.account_id and v.site_id = a.site_id
     and v.visit_date < a.snapshot_date
     and v.visit_date >= a.snapshot_date - interval '7 days'
    group by 1, 2, 3
)
select a.account_id, a.site_id, a.snapshot_date, a.tier, coalesce(v.visits_7d, 0) as visits_7d, a.converted
from {{ ref('account_examples') }} as a
left join visits as v using (account_id, site_id, snapshot_date)
