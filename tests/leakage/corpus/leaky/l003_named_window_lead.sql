-- expect: LK003
select session_id, customer_id, event_ts, known_at,
       lead(duration_s) over w as next_duration
from {{ ref('sessions') }}
window w as (partition by customer_id order by event_ts)
