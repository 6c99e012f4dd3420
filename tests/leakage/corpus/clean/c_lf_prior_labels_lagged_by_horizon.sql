-- expect: clean
-- meta: {kind: training_set, entity: [customer_id], cutoff: label_ts, label: churned, horizon: 30 days}
-- earlier examples' labels are history once their 30-day horizon has passed
select e.customer_id, e.label_ts, e.churned, coalesce(sum(p.churned), 0) as past_churns
from {{ ref('labelled_examples') }} as e
left join {{ ref('labelled_examples') }} as p
  on p.customer_id = e.customer_id
 and p.label_ts <= e.label_ts - interval '30 days'
group by e.customer_id, e.label_ts, e.churned
