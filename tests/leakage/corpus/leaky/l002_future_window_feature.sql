-- expect: LK002
select s.customer_id, s.as_of_ts, count(w.session_id) as sessions_next_30d
from {{ ref('spine') }} as s
left join {{ ref('sessions') }} as w
  on w.customer_id = s.customer_id
 and w.event_ts > s.as_of_ts
 and w.event_ts <= s.as_of_ts + interval '30 days'
 and w.known_at <= s.as_of_ts + interval '30 days'
group by 1, 2
