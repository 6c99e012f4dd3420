-- expect: clean
-- meta: {kind: training_set, entity: [customer_id], cutoff: label_ts, label: churned, horizon: 30 days}
-- the label is grouped together with the example key (customer_id, label_ts): functionally dependent, no leak
select e.customer_id, e.label_ts, e.churned, e.segment, count(w.session_id) as sessions_30d, max(w.started_at) as last_session_at
from {{ ref('nu_stg_examples') }} as e
left join {{ source('raw', 'sessions') }} as w
  on w.customer_id = e.customer_id
 and w.started_at <= e.label_ts
 and w.started_at > e.label_ts - interval '30 days'
group by 1, 2, 3, 4
