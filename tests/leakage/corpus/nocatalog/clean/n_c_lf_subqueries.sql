-- expect: clean
-- meta: {kind: training_set, entity: [customer_id], cutoff: label_ts, label: churned, horizon: 30 days}
select x.customer_id, x.label_ts, x.region, x.churned, s.sessions_7d
from {{ source('raw', 'examples') }} as x
left join (
    select e.customer_id, e.label_ts, count(*) as sessions_7d
    from {{ source('raw', 'examples') }} as e
    join {{ source('raw', 'sessions') }} as w
      on w.customer_id = e.customer_id
     and w.started_at < e.label_ts
     and w.started_at >= e.label_ts - interval '7 days'
    group by e.customer_id, e.label_ts
) as s on s.customer_id = x.customer_id and s.label_ts = x.label_ts
