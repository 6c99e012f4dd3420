-- expect: clean
-- meta: {kind: training_set, entity: [customer_id], cutoff: label_ts, label: churned, horizon: 30 days}
-- the previous example's attribute: rows before this one only
select customer_id, label_ts, region,
       lag(region) over (partition by customer_id order by label_ts) as previous_region,
       churned
from {{ ref('labelled_examples') }}
