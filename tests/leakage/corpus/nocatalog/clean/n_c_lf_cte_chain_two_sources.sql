-- expect: clean
-- meta: {kind: training_set, entity: [customer_id], cutoff: label_ts, label: churned, horizon: 30 days}
with examples as (
    select customer_id, label_ts, churned, region from {{ source('raw', 'examples') }}
),

spend as (
    select x.customer_id, x.label_ts, sum(o.amount) as spend_60d
    from examples as x
    join {{ source('raw', 'orders') }} as o
      on o.customer_id = x.customer_id
     and o.ordered_at < x.label_ts and o.loaded_at < x.label_ts
     and o.ordered_at >= x.label_ts - interval '60 days'
    group by 1, 2
),

cancellations_before as (
    select x.customer_id, x.label_ts, count(c.cancellation_id) as past_cancellations
    from examples as x
    join {{ source('raw', 'cancellations') }} as c
      on c.customer_id = x.customer_id and c.cancelled_at <= x.label_ts
    group by 1, 2
)

select x.customer_id, x.label_ts, x.region,
       coalesce(s.spend_60d, 0) as spend_60d,
       coalesce(cb.past_cancellations, 0) as past_cancellations,
       x.churned
from examples as x
left join spend as s on s.customer_id = x.customer_id and s.label_ts = x.label_ts
left join cancellations_before as cb on cb.customer_id = x.customer_id and cb.label_ts = x.label_ts
