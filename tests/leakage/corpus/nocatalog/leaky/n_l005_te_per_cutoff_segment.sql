-- expect: LK005
-- why: the segment's churn rate among examples at the same label_ts is built from labels observed after that cutoff
-- meta: {kind: training_set, entity: [customer_id], cutoff: label_ts, label: churned, horizon: 30 days}
with examples as (select customer_id, label_ts, segment, churned from {{ source('raw', 'examples') }})
select customer_id, label_ts, segment, churned,
       avg(churned) over (partition by segment, label_ts) as segment_rate_now
from examples
