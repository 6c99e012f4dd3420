-- expect: clean
-- meta: {kind: training_set, entity: [customer_id], cutoff: as_of_ts, label: cancelled_30d, horizon: 30 days}
-- subscription_events is the label's source; its rows up to the cutoff are history
with spine as (
    select customer_id, as_of_ts from {{ ref('spine') }}
    where as_of_ts + interval '30 days' <= cast('{{ var("as_of") }}' as timestamp)
),

past as (
    select s.customer_id, s.as_of_ts, count(h.sub_event_id) as downgrades_180d
    from spine as s
    left join {{ ref('subscription_events') }} as h
      on h.customer_id = s.customer_id
     and h.happened_at <= s.as_of_ts
     and h.happened_at > s.as_of_ts - interval '180 days'
     and h.event_type = 'downgrade'
    group by 1, 2
),

future as (
    select s.customer_id, s.as_of_ts,
           max(case when f.sub_event_id is not null then 1 else 0 end) as cancelled_30d
    from spine as s
    left join {{ ref('subscription_events') }} as f
      on f.customer_id = s.customer_id
     and f.happened_at > s.as_of_ts
     and f.happened_at <= s.as_of_ts + interval '30 days'
     and f.event_type = 'cancel'
    group by 1, 2
)

select p.customer_id, p.as_of_ts, p.downgrades_180d, fu.cancelled_30d
from past as p
join future as fu on fu.customer_id = p.customer_id and fu.as_of_ts = p.as_of_ts
