-- expect: LK005
-- why: same_outcome_examples counts the examples of the region with the same label: its value is chosen by the label
-- meta: {kind: training_set, entity: [customer_id], cutoff: label_ts, label: churned, horizon: 30 days}
with outcome_counts as (
    select region, churned, count(*) as n from {{ ref('labelled_examples') }} group by region, churned
)
select e.customer_id, e.label_ts, e.region, c.n as same_outcome_examples, e.churned
from {{ ref('labelled_examples') }} as e
join outcome_counts as c on c.region = e.region and c.churned = e.churned
