-- expect: LK010
-- why: site_events declares loaded_at; bounding only occurred_at reads events that landed after the snapshot date
-- meta: {kind: training_set, entity: [account_id, site_id], cutoff: snapshot_date, label: converted, horizon: 14 days}
select a.account_id, a.site_id, a.snapshot_date, a.converted, count(ev.event_id) as events_30d
from {{ ref('account_examples') }} as a
left join {{ ref('site_events') }} as ev
  on ev.account_id = a.account_id and ev.site_id = a.site_id
 and ev.occurred_at <= a.snapshot_date
 and ev.occurred_at > a.snapshot_date - interval '30 days'
group by all
