-- expect: LK005
-- why: churn_flag repeats the label as a feature column
-- meta: {kind: training_set, entity: [customer_id], cutoff: label_ts, label: churned, horizon: 30 days}
select e.customer_id, e.label_ts, e.region, e.churned, e.churned as churn_flag
from {{ source('raw', 'examples') }} as e
