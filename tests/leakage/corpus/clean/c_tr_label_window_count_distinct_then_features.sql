-- expect: clean
-- meta: {kind: training_set, entity: [customer_id], cutoff: as_of_ts, label: distinct_upgrades_30d, horizon: 30 days}
-- the label first, then bounded history of the same table joined onto the labelled rows
with spine as (select customer_id, as_of_ts from {{ ref('spine') }}),

labelled as (
{{ sqltrain.label_window(
    spine='spine', entity_keys=['customer_id'], cutoff='as_of_ts', source=ref('account_activity'), known_at='known_at',
    horizon='30 days', label='distinct_upgrades_30d', value='count(distinct activity_id)',
    where="activity_type = 'upgrade'") }}
)

select l.customer_id, l.as_of_ts, count(a.activity_id) as activities_7d, l.distinct_upgrades_30d
from labelled as l
left join {{ ref('account_activity') }} as a
  on a.customer_id = l.customer_id and a.event_ts < l.as_of_ts and a.known_at < l.as_of_ts
 and a.event_ts >= l.as_of_ts - interval '7 days'
group by l.customer_id, l.as_of_ts, l.distinct_upgrades_30d
