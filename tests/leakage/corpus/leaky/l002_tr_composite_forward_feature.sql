-- expect: LK002
-- why: purchases_next_14d reads site_events in the label's own horizon and outputs it as a feature
-- meta: {kind: training_set, entity: [account_id, site_id], cutoff: snapshot_date, label: converted, horizon: 14 days}
with examples as (
    select account_id, site_id, snapshot_date from {{ ref('account_examples') }}
    where snapshot_date + interval '14 days' <= cast('{{ var("as_of") }}' as date)
),

ahead as (
    select x.account_id, x.site_id, x.snapshot_date, count(e.event_id) as purchases_next_14d
    from examples as x
    left join {{ ref('site_events') }} as e
      on e.account_id = x.account_id and e.site_id = x.site_id
     and e.occurred_at > x.snapshot_date
     and e.occurred_at <= x.snapshot_date + interval '14 days'
     and e.loaded_at <= x.snapshot_date + interval '14 days'
     and e.event_type = 'purchase'
    group by 1, 2, 3
),

labelled as (
{{ sqltrain.label_window(
    spine='examples', entity_keys=['account_id', 'site_id'], cutoff='snapshot_date', source=ref('site_events'),
    event_ts='occurred_at', known_at='loaded_at', horizon='14 days', label='converted', where="event_type = 'purchase'") }}
)

select l.account_id, l.site_id, l.snapshot_date, a.purchases_next_14d, l.converted
from labelled as l
join ahead as a using (account_id, site_id, snapshot_date)
