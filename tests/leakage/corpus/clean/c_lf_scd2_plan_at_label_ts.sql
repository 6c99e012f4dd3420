-- expect: clean
-- meta: {kind: training_set, entity: [customer_id], cutoff: label_ts, label: churned, horizon: 30 days}
select e.customer_id, e.label_ts, e.region, v.plan as plan_at_cutoff, e.churned
from {{ ref('labelled_examples') }} as e
left join {{ ref('customers_snapshot') }} as v
  on v.customer_id = e.customer_id
 and v.dbt_valid_from <= e.label_ts
 and (v.dbt_valid_to > e.label_ts or v.dbt_valid_to is null)
