-- expect: clean
-- note: held-out batch 4, written without running the analyser first
-- meta: {kind: training_set, entity: [customer_id], cutoff: as_of_ts, label: cancelled_30d, horizon: 30 days}
with spine as (select customer_id, as_of_ts from {{ ref('spine') }}),

history as (
    select s.customer_id, s.as_of_ts, count(c.cancellation_id) as cancellations_before
    from spine as s
    left join {{ source('raw', 'cancellations_src') }} as c
      on c.customer_id = s.customer_id and c.cancelled_at <= s.as_of_ts
    group by 1, 2
),

flagged as (
{{ sqltrain.label_window(
    spine='history', entity_keys='customer_id', cutoff='as_of_ts', source=source('raw', 'cancellations_src'),
    event_ts='cancelled_at', horizon='30 days', label='cancelled_30d', maturity='flag') }}
)

select customer_id, as_of_ts, cancellations_before, cancelled_30d from flagged where is_mature
