-- expect: LK005
-- why: will_cancel is the label source's cancellations in the next 30 days, output as a feature beside the label
-- meta: {kind: training_set, entity: [customer_id], cutoff: as_of_ts, label: cancelled_30d, horizon: 30 days}
select s.customer_id, s.as_of_ts,
       case when exists (
           select 1 from {{ ref('subscription_events') }} as c
           where c.customer_id = s.customer_id and c.event_type = 'cancel'
             and c.happened_at > s.as_of_ts and c.happened_at <= s.as_of_ts + interval '30 days'
       ) then 1 else 0 end as will_cancel,
       l.cancelled_30d
from {{ ref('spine') }} as s
join (
{{ sqltrain.label_window(
    spine=ref('spine'), entity_keys=['customer_id'], cutoff='as_of_ts', source=ref('subscription_events'),
    event_ts='happened_at', horizon='30 days', label='cancelled_30d', where="event_type = 'cancel'") }}
) as l on l.customer_id = s.customer_id and l.as_of_ts = s.as_of_ts
