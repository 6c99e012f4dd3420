-- expect: clean
select s.customer_id, s.as_of_ts, w.duration_s as last_session_duration
from {{ ref('spine') }} as s
join {{ ref('sessions') }} as w
  on w.customer_id = s.customer_id and w.event_ts <= s.as_of_ts and w.known_at <= s.as_of_ts
qualify row_number() over (partition by s.customer_id, s.as_of_ts order by w.event_ts desc, w.session_id) = 1
