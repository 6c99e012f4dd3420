-- expect: LK013
-- why: examples less than 30 days before the as-of date get cancelled_30d = 0 before their outcome is known
-- meta: {kind: training_set, entity: [customer_id], cutoff: as_of_ts, label: cancelled_30d, horizon: 30 days}
select s.customer_id, s.as_of_ts,
       case when count(c.cancellation_id) > 0 then 1 else 0 end as cancelled_30d
from {{ source('raw', 'spine') }} as s
left join {{ source('raw', 'cancellations') }} as c
  on c.customer_id = s.customer_id
 and c.cancelled_at > s.as_of_ts and c.cancelled_at <= s.as_of_ts + interval '30 days'
group by 1, 2
