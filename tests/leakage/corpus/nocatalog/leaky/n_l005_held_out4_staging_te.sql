-- expect: LK005
-- why: segment_rate is the average label of the segment's examples, all of them, joined back onto each example
-- note: held-out batch 4, written without running the analyser first
-- meta: {kind: training_set, entity: [customer_id], cutoff: label_ts, label: churned, horizon: 30 days}
with segment_rates as (
    select segment, avg(churned) as segment_rate from {{ ref('nu_stg_examples') }} group by segment
)
select e.customer_id, e.label_ts, e.segment, r.segment_rate, e.churned
from {{ ref('nu_stg_examples') }} as e
left join segment_rates as r on r.segment = e.segment
