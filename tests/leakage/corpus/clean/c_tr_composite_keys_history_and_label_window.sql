-- expect: clean
-- meta: {kind: training_set, entity: [account_id, site_id], cutoff: snapshot_date, label: converted, horizon: 14 days}
with examples as (select account_id, site_id, snapshot_date, tier from {{ ref('account_examples') }}),

history as (
    select x.account_id, x.site_id, x.snapshot_date, x.tier, count(e.event_id) as events_14d
    from examples as x
    left join {{ ref('site_events') }} as e
      on e.account_id = x.account_id and e.site_id = x.site_id
     and e.occurred_at <= x.snapshot_date and e.loaded_at <= x.snapshot_date
     and e.occurred_at > x.snapshot_date - interval '14 days'
    group by 1, 2, 3, 4
),

labelled as (
{{ sqltrain.label_window(
    spine='history', entity_keys=['account_id', 'site_id'], cutoff='snapshot_date', source=ref('site_events'),
    event_ts='occurred_at', known_at='loaded_at', horizon='14 days', label='converted',
    where="event_type = 'purchase'", maturity='flag') }}
)

select * from labelled
