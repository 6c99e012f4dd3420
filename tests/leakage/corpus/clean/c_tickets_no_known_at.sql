-- expect: clean
select s.customer_id, s.as_of_ts, count(t.ticket_id) as tickets_90d
from {{ ref('spine') }} as s
left join {{ ref('tickets') }} as t
  on t.customer_id = s.customer_id
 and t.event_ts <= s.as_of_ts
 and t.event_ts > s.as_of_ts - interval '90 days'
group by 1, 2
