-- expect: LK001
-- the struct compares first on the session id, so nothing bounds the session's time
select s.customer_id, s.as_of_ts, w.duration_s as last_session_duration
from {{ ref('spine') }} as s
asof left join {{ ref('sessions') }} as w
  on w.customer_id = s.customer_id
 and struct_pack(i := s.customer_id, t := s.as_of_ts) >= struct_pack(i := w.session_id, t := w.event_ts)
