-- expect: clean
-- meta: {kind: training_set, entity: [customer_id], cutoff: as_of_ts, label: churned_30d, horizon: 30 days}
select s.customer_id, s.as_of_ts, s.region, s.churned_30d,
       count(p.payment_id) as payments_90d,
       sum(p.amount) as paid_90d
from {{ source('raw', 'examples_src') }} as s
left join {{ source('raw', 'payments_src') }} as p
  on p.customer_id = s.customer_id
 and p.paid_at <= s.as_of_ts and p.synced_at <= s.as_of_ts
 and p.paid_at > s.as_of_ts - interval '90 days'
group by all
