-- expect: LK009
-- why: the mean label of the customer's earlier examples includes ones whose 30-day horizon is still open at this label_ts
-- note: held-out batch 4, written without running the analyser first
-- meta: {kind: training_set, entity: [customer_id], cutoff: label_ts, label: churned, horizon: 30 days}
select customer_id, label_ts, churned,
       avg(churned) over (partition by customer_id order by label_ts
                          rows between unbounded preceding and 1 preceding) as past_churn_rate
from {{ ref('labelled_examples') }}
