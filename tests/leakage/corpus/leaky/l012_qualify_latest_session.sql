-- expect: LK012
select customer_id, session_id, duration_s
from {{ ref('sessions') }}
qualify row_number() over (partition by customer_id order by event_ts desc) = 1
