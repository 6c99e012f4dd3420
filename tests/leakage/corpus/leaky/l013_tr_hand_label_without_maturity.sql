-- expect: LK013
-- why: examples whose 30 days end after the as-of date get cancelled_30d = 0 though their outcome is unknown
-- meta: {kind: training_set, entity: [customer_id], cutoff: as_of_ts, label: cancelled_30d, horizon: 30 days}
with past as (
    select s.customer_id, s.as_of_ts, count(h.sub_event_id) as downgrades_180d
    from {{ ref('spine') }} as s
    left join {{ ref('subscription_events') }} as h
      on h.customer_id = s.customer_id and h.happened_at <= s.as_of_ts
     and h.happened_at > s.as_of_ts - interval '180 days' and h.event_type = 'downgrade'
    group by 1, 2
),

future as (
    select s.customer_id, s.as_of_ts, max(case when f.sub_event_id is not null then 1 else 0 end) as cancelled_30d
    from {{ ref('spine') }} as s
    left join {{ ref('subscription_events') }} as f
      on f.customer_id = s.customer_id
     and f.happened_at > s.as_of_ts and f.happened_at <= s.as_of_ts + interval '30 days'
     and f.event_type = 'cancel'
    group by 1, 2
)

select p.customer_id, p.as_of_ts, p.downgrades_180d, fu.cancelled_30d
from past as p
join future as fu on fu.customer_id = p.customer_id and fu.as_of_ts = p.as_of_ts
