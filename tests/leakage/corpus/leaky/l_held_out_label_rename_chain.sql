-- expect: LK005,LK003
-- note: held-out batch 2, written without running the analyser first
-- meta: {kind: training_set, entity: [customer_id], cutoff: as_of_ts, label: churned_30d, horizon: 30 days}
with base as (select customer_id, as_of_ts, country, churned_30d as y from {{ ref('training_base') }}),
enc as (select customer_id, as_of_ts, avg(y) over (partition by country) as country_rate from base)
select b.customer_id, b.as_of_ts, e.country_rate, b.y as churned_30d from base as b join enc as e using (customer_id, as_of_ts)
