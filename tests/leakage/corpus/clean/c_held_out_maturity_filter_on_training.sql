-- expect: clean
-- note: held-out batch 2, written without running the analyser first
-- meta: {kind: training_set, entity: [customer_id], cutoff: as_of_ts, label: churned_30d, horizon: 30 days}
select customer_id, as_of_ts, orders_90d, churned_30d from {{ ref('training_base') }}
where as_of_ts + interval '30 days' <= cast('{{ var("as_of") }}' as timestamp) and churned_30d is not null
