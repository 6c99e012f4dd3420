-- expect: clean
-- note: held-out batch 4, written without running the analyser first
-- meta: {kind: training_set, entity: [customer_id], cutoff: label_ts, label: churned, horizon: 30 days}
-- a running total of the customer's bounded feature over its earlier examples (features only)
with per_example as (
    select e.customer_id, e.label_ts, e.churned, count(t.ticket_id) as tickets_7d
    from {{ ref('labelled_examples') }} as e
    left join {{ ref('tickets') }} as t
      on t.customer_id = e.customer_id and t.event_ts <= e.label_ts and t.event_ts > e.label_ts - interval '7 days'
    group by all
)
select customer_id, label_ts, churned, tickets_7d,
       sum(tickets_7d) over (partition by customer_id order by label_ts rows between unbounded preceding and current row) as tickets_7d_running
from per_example
