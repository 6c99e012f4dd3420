-- expect: clean
-- meta: {kind: training_set, entity: [customer_id], cutoff: as_of_ts, label: cancelled_30d, horizon: 30 days}
with spine as (
    select customer_id, as_of_ts from {{ source('raw', 'spine') }}
    where as_of_ts + interval '30 days' <= cast('{{ var("as_of") }}' as timestamp)
),

prior as (
    select s.customer_id, s.as_of_ts, count(c.cancellation_id) as prior_cancellations
    from spine as s
    left join {{ source('raw', 'cancellations') }} as c
      on c.customer_id = s.customer_id and c.cancelled_at <= s.as_of_ts
    group by 1, 2
),

ahead as (
    select s.customer_id, s.as_of_ts, count(c.cancellation_id) > 0 as cancelled_30d
    from spine as s
    left join {{ source('raw', 'cancellations') }} as c
      on c.customer_id = s.customer_id
     and c.cancelled_at > s.as_of_ts and c.cancelled_at <= s.as_of_ts + interval '30 days'
    group by 1, 2
)

select p.customer_id, p.as_of_ts, p.prior_cancellations, a.cancelled_30d
from prior as p
join ahead as a on a.customer_id = p.customer_id and a.as_of_ts = p.as_of_ts
