-- expect: LK011
-- note: held-out batch 2, written without running the analyser first
-- meta: {kind: training_set, entity: [customer_id], cutoff: as_of_ts, label: churned_30d, horizon: 30 days}
select customer_id, as_of_ts, orders_90d, churned_30d from {{ ref('training_base') }}
where customer_id in (select customer_id from {{ ref('customers') }} where status = 'active')
