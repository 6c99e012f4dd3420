-- expect: clean
-- meta: {kind: training_set, entity: [customer_id], cutoff: label_ts, label: churned, horizon: 30 days}
-- the labelled examples as they are: every column passes through, only `churned` is the label
select * from {{ source('raw', 'examples') }}
