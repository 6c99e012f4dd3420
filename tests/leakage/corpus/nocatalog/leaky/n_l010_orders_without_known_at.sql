-- expect: LK010
-- why: orders declares loaded_at; rows loaded after the cutoff are counted although they were not in the warehouse then
-- meta: {kind: training_set, entity: [customer_id], cutoff: as_of_ts, label: churned_30d, horizon: 30 days}
select s.customer_id, s.as_of_ts, s.churned_30d, count(o.order_id) as orders_30d
from {{ source('raw', 'spine') }} as s
left join {{ ref('nu_stg_orders') }} as o
  on o.customer_id = s.customer_id
 and o.ordered_at <= s.as_of_ts and o.ordered_at > s.as_of_ts - interval '30 days'
group by all
