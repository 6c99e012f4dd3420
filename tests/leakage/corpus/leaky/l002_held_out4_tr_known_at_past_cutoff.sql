-- expect: LK002
-- why: known_at is allowed 30 days past the cutoff, so late rows that landed during the label's horizon are counted
-- note: held-out batch 4, written without running the analyser first
-- meta: {kind: training_set, entity: [customer_id], cutoff: as_of_ts, label: upgraded_30d, horizon: 30 days}
with spine as (select customer_id, as_of_ts from {{ ref('spine') }}),

history as (
    select s.customer_id, s.as_of_ts, sum(a.amount) as amount_30d
    from spine as s
    left join {{ ref('account_activity') }} as a
      on a.customer_id = s.customer_id
     and a.event_ts <= s.as_of_ts and a.known_at <= s.as_of_ts + interval '30 days'
     and a.event_ts > s.as_of_ts - interval '30 days'
    group by 1, 2
)

select * from (
{{ sqltrain.label_window(
    spine='history', entity_keys=['customer_id'], cutoff='as_of_ts', source=ref('account_activity'),
    known_at='known_at', horizon='30 days', label='upgraded_30d', where="activity_type = 'upgrade'") }}
) as labelled
