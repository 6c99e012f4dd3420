-- expect: LK007
-- why: joined on the key alone, every version of the plan (later ones too) meets each example
-- meta: {kind: training_set, entity: [customer_id], cutoff: as_of_ts, label: churned_30d, horizon: 30 days}
select s.customer_id, s.as_of_ts, s.churned_30d, p.plan
from {{ source('raw', 'spine') }} as s
left join {{ source('raw', 'plan_snapshot') }} as p on p.customer_id = s.customer_id
