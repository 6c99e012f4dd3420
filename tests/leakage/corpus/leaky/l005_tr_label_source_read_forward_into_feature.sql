-- expect: LK005
-- why: cancels_next_30d counts the label source's cancellations after the cutoff: the label, published as a feature
-- meta: {kind: training_set, entity: [customer_id], cutoff: as_of_ts, label: cancelled_30d, horizon: 30 days}
with spine as (
    select customer_id, as_of_ts from {{ ref('spine') }}
    where as_of_ts + interval '30 days' <= cast('{{ var("as_of") }}' as timestamp)
),

future_cancels as (
    select s.customer_id, s.as_of_ts, count(c.sub_event_id) as cancels_next_30d
    from spine as s
    left join {{ ref('subscription_events') }} as c
      on c.customer_id = s.customer_id
     and c.happened_at > s.as_of_ts and c.happened_at <= s.as_of_ts + interval '30 days'
     and c.event_type = 'cancel'
    group by 1, 2
),

labelled as (
{{ sqltrain.label_window(
    spine='spine', entity_keys=['customer_id'], cutoff='as_of_ts', source=ref('subscription_events'),
    event_ts='happened_at', horizon='30 days', label='cancelled_30d', where="event_type = 'cancel'") }}
)

select l.customer_id, l.as_of_ts, f.cancels_next_30d, l.cancelled_30d
from labelled as l
join future_cancels as f on f.customer_id = l.customer_id and f.as_of_ts = l.as_of_ts
