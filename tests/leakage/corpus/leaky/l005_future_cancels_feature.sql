-- expect: LK005,LK013
-- meta: {kind: training_set, entity: [customer_id], cutoff: as_of_ts, label: churned_30d, horizon: 30 days}
with future as (
    select s.customer_id, s.as_of_ts, count(e.change_id) as cancels_next_30d
    from {{ ref('spine') }} as s
    left join {{ ref('churn_events') }} as e
      on e.customer_id = s.customer_id
     and e.event_ts > s.as_of_ts and e.event_ts <= s.as_of_ts + interval '30 days'
    group by 1, 2
)
select l.customer_id, l.as_of_ts, f.cancels_next_30d, l.churned_30d
from {{ ref('churn_labels') }} as l
join future as f on f.customer_id = l.customer_id and f.as_of_ts = l.as_of_ts
