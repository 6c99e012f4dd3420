-- expect: LK002
-- why: events_next_14d counts app events after the cutoff, the same window the label reads
-- meta: {kind: training_set, entity: [customer_id], cutoff: as_of_ts, label: purchased_14d, horizon: 14 days}
with spine as (
    select customer_id, as_of_ts from {{ source('raw', 'spine') }}
    where as_of_ts + interval '14 days' <= cast('{{ var("as_of") }}' as timestamp)
),

ahead as (
    select s.customer_id, s.as_of_ts, count(e.event_id) as events_next_14d
    from spine as s
    left join {{ source('raw', 'app_events') }} as e
      on e.user_id = s.customer_id
     and e.occurred_at > s.as_of_ts and e.occurred_at <= s.as_of_ts + interval '14 days'
     and e.received_at <= s.as_of_ts + interval '14 days'
    group by 1, 2
),

labelled as (
{{ sqltrain.label_window(
    spine='spine', entity_keys=['customer_id'], cutoff='as_of_ts', source=source('raw', 'app_events'), keys=['user_id'],
    event_ts='occurred_at', known_at='received_at', horizon='14 days', label='purchased_14d',
    where="event_name = 'purchase'") }}
)

select l.customer_id, l.as_of_ts, a.events_next_14d, l.purchased_14d
from labelled as l
join ahead as a on a.customer_id = l.customer_id and a.as_of_ts = l.as_of_ts
