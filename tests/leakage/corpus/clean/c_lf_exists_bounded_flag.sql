-- expect: clean
-- meta: {kind: training_set, entity: [customer_id], cutoff: label_ts, label: churned, horizon: 30 days}
select e.customer_id, e.label_ts, e.segment, e.churned,
       case when exists (
           select 1 from {{ ref('tickets') }} as t
           where t.customer_id = e.customer_id and t.event_ts <= e.label_ts
             and t.event_ts > e.label_ts - interval '14 days' and t.priority = 'high'
       ) then 1 else 0 end as had_urgent_ticket_14d
from {{ ref('labelled_examples') }} as e
