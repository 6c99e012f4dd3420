-- expect: clean
-- meta: {kind: training_set, entity: [customer_id], cutoff: as_of_ts, label: spend_next_30d, horizon: 30 days}
-- the same table gives past spend (feature) and next-30-day spend (label, through label_window)
with spine as (select customer_id, as_of_ts from {{ ref('spine') }}),

past as (
    select s.customer_id, s.as_of_ts, coalesce(sum(a.amount), 0) as spend_90d
    from spine as s
    left join {{ ref('account_activity') }} as a
      on a.customer_id = s.customer_id and a.event_ts <= s.as_of_ts and a.known_at <= s.as_of_ts
     and a.event_ts > s.as_of_ts - interval '90 days'
    group by 1, 2
),

labelled as (
{{ sqltrain.label_window(
    spine='past', entity_keys=['customer_id'], cutoff='as_of_ts', source=ref('account_activity'),
    known_at='known_at', horizon='30 days', label='spend_next_30d', value='sum(amount)', empty=none) }}
)

select * from labelled
