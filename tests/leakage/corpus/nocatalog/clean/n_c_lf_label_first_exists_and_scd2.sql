-- expect: clean
-- meta: {kind: training_set, entity: [customer_id], cutoff: label_ts, label: churned, horizon: 30 days}
select e.customer_id, e.label_ts, e.region, p.plan, e.churned,
       exists (select 1 from {{ source('raw', 'orders') }} as o
               where o.customer_id = e.customer_id and o.ordered_at <= e.label_ts and o.loaded_at <= e.label_ts) as has_ordered
from {{ source('raw', 'examples') }} as e
left join {{ source('raw', 'plan_snapshot') }} as p
  on p.customer_id = e.customer_id
 and p.dbt_valid_from <= e.label_ts and (p.dbt_valid_to > e.label_ts or p.dbt_valid_to is null)
