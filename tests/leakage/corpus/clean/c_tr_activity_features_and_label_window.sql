-- expect: clean
-- meta: {kind: training_set, entity: [customer_id], cutoff: as_of_ts, label: upgraded_30d, horizon: 30 days}
with spine as (select customer_id, as_of_ts from {{ ref('spine') }}),

history as (
    select s.customer_id, s.as_of_ts, count(a.activity_id) as activities_30d, sum(a.amount) as amount_30d
    from spine as s
    left join {{ ref('account_activity') }} as a
      on a.customer_id = s.customer_id
     and a.event_ts <= s.as_of_ts and a.known_at <= s.as_of_ts
     and a.event_ts > s.as_of_ts - interval '30 days'
    group by all
),

labels as (
{{ sqltrain.label_window(
    spine='spine', entity_keys=['customer_id'], cutoff='as_of_ts', source=ref('account_activity'),
    known_at='known_at', horizon='30 days', label='upgraded_30d', where="activity_type = 'upgrade'") }}
)

select h.customer_id, h.as_of_ts, h.activities_30d, h.amount_30d, l.upgraded_30d
from history as h
join labels as l on l.customer_id = h.customer_id and l.as_of_ts = h.as_of_ts
