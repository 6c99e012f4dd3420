-- expect: LK002
select s.customer_id, s.as_of_ts, count(w.session_id) as sessions
from {{ ref('spine') }} as s
join {{ ref('sessions') }} as w
  on w.customer_id = s.customer_id
 and w.event_ts <= s.as_of_ts + interval '1 day'
 and w.known_at <= s.as_of_ts + interval '1 day'
group by 1, 2
