-- expect: LK002
-- why: `event_ts >= as_of_ts` keeps exactly the activity after the cutoff and sums it into a feature
-- meta: {kind: training_set, entity: [customer_id], cutoff: as_of_ts, label: upgraded_30d, horizon: 30 days}
with spine as (select customer_id, as_of_ts from {{ ref('spine') }}),

spend as (
    select s.customer_id, s.as_of_ts, sum(a.amount) as spend_after
    from spine as s
    left join {{ ref('account_activity') }} as a
      on a.customer_id = s.customer_id and a.event_ts >= s.as_of_ts and a.known_at >= s.as_of_ts
    group by all
)

select * from (
{{ sqltrain.label_window(
    spine='spend', entity_keys=['customer_id'], cutoff='as_of_ts', source=ref('account_activity'),
    known_at='known_at', horizon='30 days', label='upgraded_30d', where="activity_type = 'upgrade'") }}
) as labelled
