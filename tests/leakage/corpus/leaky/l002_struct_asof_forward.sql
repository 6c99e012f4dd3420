-- expect: LK002
-- the ASOF inequality compares structs: it reads the first session at or after the cutoff
select s.customer_id, s.as_of_ts, w.duration_s as next_session_duration
from {{ ref('spine') }} as s
asof left join {{ ref('sessions') }} as w
  on w.customer_id = s.customer_id
 and struct_pack(t := s.as_of_ts, d := null) <= struct_pack(t := w.event_ts, d := w.duration_s)
