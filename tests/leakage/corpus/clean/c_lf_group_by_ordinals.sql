-- expect: clean
-- meta: {kind: training_set, entity: [customer_id], cutoff: label_ts, label: churned, horizon: 30 days}
select e.customer_id, e.label_ts, e.churned, e.signup_channel, count(distinct w.session_id) as sessions_14d
from {{ ref('labelled_examples') }} as e
left join {{ ref('sessions') }} as w
  on w.customer_id = e.customer_id
 and w.event_ts < e.label_ts and w.known_at < e.label_ts
 and w.event_ts >= e.label_ts - interval '14 days'
group by 1, 2, 3, 4
