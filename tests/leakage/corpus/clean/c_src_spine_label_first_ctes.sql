-- expect: clean
-- meta: {kind: training_set, entity: [customer_id], cutoff: as_of_ts, label: churned_30d, horizon: 30 days}
with examples as (
    select customer_id, as_of_ts, churned_30d, region from {{ source('raw', 'examples_src') }}
),

last_payment as (
    select x.customer_id, x.as_of_ts, max(p.paid_at) as last_paid_at
    from examples as x
    left join {{ source('raw', 'payments_src') }} as p
      on p.customer_id = x.customer_id and p.paid_at <= x.as_of_ts and p.synced_at <= x.as_of_ts
    group by x.customer_id, x.as_of_ts
)

select x.customer_id, x.as_of_ts, x.region,
       date_diff('day', lp.last_paid_at, x.as_of_ts) as days_since_payment,
       x.churned_30d
from examples as x
join last_payment as lp on lp.customer_id = x.customer_id and lp.as_of_ts = x.as_of_ts
