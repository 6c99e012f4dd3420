-- expect: clean
select session_id, customer_id, event_ts, known_at,
       count(*) over (partition by customer_id order by event_ts
                      range between interval '7 days' preceding and current row) as sessions_7d
from {{ ref('sessions') }}
