-- expect: clean
-- note: held-out batch 4, written without running the analyser first
-- meta: {kind: training_set, entity: [customer_id], cutoff: as_of_ts, label: purchased_14d, horizon: 14 days}
with history as (
    select s.customer_id, s.as_of_ts, count(h.event_id) as events_7d
    from {{ source('raw', 'spine') }} as s
    left join {{ source('raw', 'app_events') }} as h
      on h.user_id = s.customer_id
     and h.occurred_at <= s.as_of_ts and h.received_at <= s.as_of_ts
     and h.occurred_at > s.as_of_ts - interval '7 days'
    group by 1, 2
),

purchases_ahead as (
    select s.customer_id, s.as_of_ts, count(p.event_id) as n
    from {{ source('raw', 'spine') }} as s
    left join {{ source('raw', 'app_events') }} as p
      on p.user_id = s.customer_id and p.event_name = 'purchase'
     and p.occurred_at > s.as_of_ts and p.occurred_at <= s.as_of_ts + interval '14 days'
     and p.received_at <= cast('{{ var("as_of") }}' as timestamp)
    group by 1, 2
)

select h.customer_id, h.as_of_ts, h.events_7d, case when pa.n > 0 then 1 else 0 end as purchased_14d
from history as h
join purchases_ahead as pa on pa.customer_id = h.customer_id and pa.as_of_ts = h.as_of_ts
where h.as_of_ts + interval '14 days' <= cast('{{ var("as_of") }}' as timestamp)
