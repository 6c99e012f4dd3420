-- expect: LK005,LK003
-- why: a leave-one-out target encoding still sums the labels of the other examples of the segment, future ones included
-- meta: {kind: training_set, entity: [customer_id], cutoff: label_ts, label: churned, horizon: 30 days}
select customer_id, label_ts, segment, churned,
       (sum(churned) over (partition by segment) - churned)
         / nullif(count(*) over (partition by segment) - 1, 0) as segment_churn_loo
from {{ ref('labelled_examples') }}
