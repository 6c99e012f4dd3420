-- expect: LK005
-- meta: {kind: training_set, entity: [customer_id], cutoff: as_of_ts, label: churned_30d, horizon: 30 days}
with rates as (
    select country, avg(churned_30d) as country_rate
    from {{ ref('training_base') }}
    group by country
)
select t.customer_id, t.as_of_ts, t.country, r.country_rate, t.churned_30d
from {{ ref('training_base') }} as t
left join rates as r on r.country = t.country
