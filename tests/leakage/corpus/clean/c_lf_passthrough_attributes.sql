-- expect: clean
-- meta: {kind: training_set, entity: [customer_id], cutoff: label_ts, label: churned, horizon: 30 days}
select e.customer_id, e.label_ts, e.region, e.segment, e.signup_channel, e.churned
from {{ ref('labelled_examples') }} as e
