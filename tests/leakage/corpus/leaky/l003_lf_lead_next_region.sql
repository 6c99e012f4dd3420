-- expect: LK003
-- why: lead() hands each example the region of the customer's next example, which is in its future
-- meta: {kind: training_set, entity: [customer_id], cutoff: label_ts, label: churned, horizon: 30 days}
select customer_id, label_ts, region, churned,
       lead(region) over (partition by customer_id order by label_ts) as next_region
from {{ ref('labelled_examples') }}
