-- expect: LK005
-- why: was_lost is the label under another name, output next to it as a feature
-- meta: {kind: training_set, entity: [customer_id], cutoff: as_of_ts, label: churned_30d, horizon: 30 days}
select s.customer_id, s.as_of_ts, s.region, s.churned_30d as was_lost, s.churned_30d
from {{ ref('example_spine') }} as s
