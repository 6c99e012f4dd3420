-- expect: clean
-- meta: {kind: training_set, entity: [customer_id], cutoff: as_of_ts, label: cancelled_30d, horizon: 30 days}
select s.customer_id, s.as_of_ts,
       (select count(*) from {{ ref('subscription_events') }} as h
         where h.customer_id = s.customer_id and h.happened_at <= s.as_of_ts and h.event_type = 'downgrade') as downgrades_to_date,
       case when exists (
           select 1 from {{ ref('subscription_events') }} as c
           where c.customer_id = s.customer_id and c.event_type = 'cancel'
             and c.happened_at > s.as_of_ts and c.happened_at <= s.as_of_ts + interval '30 days'
       ) then 1 else 0 end as cancelled_30d
from {{ ref('spine') }} as s
where s.as_of_ts + interval '30 days' <= cast('{{ var("as_of") }}' as timestamp)
