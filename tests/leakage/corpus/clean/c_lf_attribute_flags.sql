-- expect: clean
-- meta: {kind: training_set, entity: [customer_id], cutoff: label_ts, label: churned, horizon: 30 days}
select e.customer_id, e.label_ts,
       case when e.region = 'EU' then 1 else 0 end as is_eu,
       lower(e.signup_channel) as channel,
       e.segment || '/' || e.region as segment_region,
       e.churned
from {{ ref('labelled_examples') }} as e
