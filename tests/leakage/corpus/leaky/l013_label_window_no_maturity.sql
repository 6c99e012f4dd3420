-- expect: LK013
-- note: held-out batch, written without running the analyser first
-- note: was a clean held-out case until LK013 (label maturity) was added: it has no maturity filter
-- meta: {kind: training_set, entity: [customer_id], cutoff: as_of_ts, label: churned_30d, horizon: 30 days}
select s.customer_id, s.as_of_ts, max(case when e.event_ts is not null then 1 else 0 end) as churned_30d
from {{ ref('spine') }} as s left join {{ ref('churn_events') }} as e
on e.customer_id = s.customer_id and e.event_ts > s.as_of_ts and e.event_ts <= s.as_of_ts + interval '30 days'
group by 1, 2
