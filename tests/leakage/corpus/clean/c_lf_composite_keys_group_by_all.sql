-- expect: clean
-- meta: {kind: training_set, entity: [account_id, site_id], cutoff: snapshot_date, label: converted, horizon: 14 days}
select a.account_id, a.site_id, a.snapshot_date, a.tier, a.country, a.converted,
       count(ev.event_id) as events_30d,
       sum(ev.value) as value_30d
from {{ ref('account_examples') }} as a
left join {{ ref('site_events') }} as ev
  on ev.account_id = a.account_id and ev.site_id = a.site_id
 and ev.occurred_at <= cast(a.snapshot_date as timestamp)
 and ev.loaded_at <= cast(a.snapshot_date as timestamp)
 and ev.occurred_at > cast(a.snapshot_date as timestamp) - interval '30 days'
group by all
