-- expect: clean
-- meta: {kind: training_set, entity: [customer_id], cutoff: label_ts, label: target, horizon: 30 days}
-- the label column is renamed to the training set's declared label: still the only label-derived output
select e.customer_id, e.label_ts, e.region, count(w.session_id) as sessions_30d, e.churned as target
from {{ ref('labelled_examples') }} as e
left join {{ ref('sessions') }} as w
  on w.customer_id = e.customer_id and w.event_ts <= e.label_ts and w.known_at <= e.label_ts
 and w.event_ts > e.label_ts - interval '30 days'
group by all
