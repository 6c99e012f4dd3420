-- expect: clean
-- note: held-out batch 4, written without running the analyser first
-- meta: {kind: training_set, entity: [account_id, site_id], cutoff: snapshot_date, label: converted, horizon: 14 days}
select a.account_id, a.site_id, a.snapshot_date, a.tier, a.converted, count(e.event_id) as events_7d
from {{ ref('account_examples') }} as a
join {{ ref('site_events') }} as e
  on e.account_id = a.account_id and e.site_id = a.site_id
 and e.occurred_at < a.snapshot_date and e.loaded_at < a.snapshot_date
 and e.occurred_at >= a.snapshot_date - interval '7 days'
group by all
having count(e.event_id) >= 1
