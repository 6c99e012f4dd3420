-- expect: clean
-- meta: {kind: training_set, entity: [customer_id], cutoff: as_of_ts, label: cancelled_30d, horizon: 30 days}
select s.customer_id, s.as_of_ts, coalesce(p.mrr_last, 0) as mrr_last, coalesce(f.cancelled_30d, 0) as cancelled_30d
from {{ ref('spine') }} as s
left join (
    select sp.customer_id, sp.as_of_ts, arg_max(h.mrr, h.happened_at) as mrr_last
    from {{ ref('spine') }} as sp
    join {{ ref('subscription_events') }} as h
      on h.customer_id = sp.customer_id and h.happened_at <= sp.as_of_ts
    group by sp.customer_id, sp.as_of_ts
) as p on p.customer_id = s.customer_id and p.as_of_ts = s.as_of_ts
left join (
    select sp.customer_id, sp.as_of_ts, 1 as cancelled_30d
    from {{ ref('spine') }} as sp
    join {{ ref('subscription_events') }} as c
      on c.customer_id = sp.customer_id
     and c.happened_at > sp.as_of_ts and c.happened_at <= sp.as_of_ts + interval '30 days'
     and c.event_type = 'cancel'
    group by sp.customer_id, sp.as_of_ts
) as f on f.customer_id = s.customer_id and f.as_of_ts = s.as_of_ts
where s.as_of_ts + interval '30 days' <= cast('{{ var("as_of") }}' as timestamp)
