-- expect: LK005
-- why: one row per (customer, label), so sessions_in_group mixes every example that shares the label: a feature keyed on the answer
-- meta: {kind: training_set, entity: [customer_id], cutoff: label_ts, label: churned, horizon: 30 days}
select e.customer_id, e.churned, min(e.label_ts) as label_ts, count(w.session_id) as sessions_in_group
from {{ ref('nu_stg_examples') }} as e
left join {{ source('raw', 'sessions') }} as w
  on w.customer_id = e.customer_id and w.started_at <= e.label_ts
group by e.customer_id, e.churned
