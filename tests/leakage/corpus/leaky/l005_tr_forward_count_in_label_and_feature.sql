-- expect: LK005
-- why: n_cancels feeds the declared label and is also output as a feature column, so the label leaks through it
-- meta: {kind: training_set, entity: [customer_id], cutoff: as_of_ts, label: cancelled_30d, horizon: 30 days}
with examples as (
    select customer_id, as_of_ts from {{ ref('spine') }}
    where as_of_ts + interval '30 days' <= cast('{{ var("as_of") }}' as timestamp)
),

cancels_ahead as (
    select x.customer_id, x.as_of_ts, count(c.sub_event_id) as n_cancels
    from examples as x
    left join {{ ref('subscription_events') }} as c
      on c.customer_id = x.customer_id
     and c.happened_at > x.as_of_ts and c.happened_at <= x.as_of_ts + interval '30 days'
    group by 1, 2
)

select customer_id, as_of_ts, n_cancels,
       case when n_cancels > 0 then 1 else 0 end as cancelled_30d
from cancels_ahead
