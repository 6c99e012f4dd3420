-- expect: LK005
-- why: plan_tier_churn_rate is the mean label of all examples of the tier, this example's own label included
-- meta: {kind: training_set, entity: [customer_id], cutoff: as_of_ts, label: churned_30d, horizon: 30 days}
with tier_rates as (
    select plan_tier, avg(churned_30d) as plan_tier_churn_rate
    from {{ ref('example_spine') }}
    group by plan_tier
)

select s.customer_id, s.as_of_ts, s.plan_tier, r.plan_tier_churn_rate, s.churned_30d
from {{ ref('example_spine') }} as s
left join tier_rates as r on r.plan_tier = s.plan_tier
