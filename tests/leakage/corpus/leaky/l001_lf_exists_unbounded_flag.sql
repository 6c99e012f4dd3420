-- expect: LK001
-- why: the EXISTS has no time bound, so a ticket filed after label_ts sets the flag
-- meta: {kind: training_set, entity: [customer_id], cutoff: label_ts, label: churned, horizon: 30 days}
select e.customer_id, e.label_ts, e.churned,
       case when exists (
           select 1 from {{ ref('tickets') }} as t where t.customer_id = e.customer_id and t.priority = 'high'
       ) then 1 else 0 end as ever_urgent_ticket
from {{ ref('labelled_examples') }} as e
