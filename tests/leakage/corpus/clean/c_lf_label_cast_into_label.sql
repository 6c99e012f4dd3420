-- expect: clean
-- meta: {kind: training_set, entity: [customer_id], cutoff: label_ts, label: churned, horizon: 30 days}
-- the declared label may be computed from the label's own value: it is still the label, not a feature
select e.customer_id, e.label_ts, e.region,
       cast(coalesce(e.churned, 0) as integer) as churned,
       count(p.change_id) as plan_changes_180d
from {{ ref('labelled_examples') }} as e
left join {{ ref('plan_changes') }} as p
  on p.customer_id = e.customer_id
 and p.event_ts <= e.label_ts and p.known_at <= e.label_ts
 and p.event_ts > e.label_ts - interval '180 days'
group by e.customer_id, e.label_ts, e.region, e.churned
