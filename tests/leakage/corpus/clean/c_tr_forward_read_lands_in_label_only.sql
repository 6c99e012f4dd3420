-- expect: clean
-- meta: {kind: training_set, entity: [customer_id], cutoff: as_of_ts, label: cancelled_30d, horizon: 30 days}
-- the forward read's count only becomes the declared label column
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
     and c.event_type = 'cancel'
    group by 1, 2
),

history as (
    select x.customer_id, x.as_of_ts, count(a.activity_id) as activities_90d
    from examples as x
    left join {{ ref('account_activity') }} as a
      on a.customer_id = x.customer_id and a.event_ts <= x.as_of_ts and a.known_at <= x.as_of_ts
     and a.event_ts > x.as_of_ts - interval '90 days'
    group by 1, 2
)

select h.customer_id, h.as_of_ts, h.activities_90d,
       case when ca.n_cancels > 0 then 1 else 0 end as cancelled_30d
from history as h
join cancels_ahead as ca on ca.customer_id = h.customer_id and ca.as_of_ts = h.as_of_ts
