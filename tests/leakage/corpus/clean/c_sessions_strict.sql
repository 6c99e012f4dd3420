-- expect: clean
select s.customer_id, s.as_of_ts, avg(w.duration_s) as avg_duration
from {{ ref('spine') }} as s
left join {{ ref('sessions') }} as w
  on w.customer_id = s.customer_id and w.event_ts < s.as_of_ts and w.known_at < s.as_of_ts
group by 1, 2
