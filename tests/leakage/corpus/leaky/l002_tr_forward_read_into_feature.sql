-- expect: LK002
-- why: activity_next_30d counts the 30 days after the cutoff from the same table the label reads: a future feature
-- meta: {kind: training_set, entity: [customer_id], cutoff: as_of_ts, label: upgraded_30d, horizon: 30 days}
with spine as (
    select customer_id, as_of_ts from {{ ref('spine') }}
    where as_of_ts + interval '30 days' <= cast('{{ var("as_of") }}' as timestamp)
),

ahead as (
    select s.customer_id, s.as_of_ts, count(a.activity_id) as activity_next_30d
    from spine as s
    left join {{ ref('account_activity') }} as a
      on a.customer_id = s.customer_id
     and a.event_ts > s.as_of_ts
     and a.event_ts <= s.as_of_ts + interval '30 days'
     and a.known_at <= s.as_of_ts + interval '30 days'
    group by 1, 2
),

labels as (
{{ sqltrain.label_window(
    spine='spine', entity_keys=['customer_id'], cutoff='as_of_ts', source=ref('account_activity'),
    known_at='known_at', horizon='30 days', label='upgraded_30d', where="activity_type = 'upgrade'") }}
)

select l.customer_id, l.as_of_ts, a.activity_next_30d, l.upgraded_30d
from labels as l
join ahead as a on a.customer_id = l.customer_id and a.as_of_ts = l.as_of_ts
