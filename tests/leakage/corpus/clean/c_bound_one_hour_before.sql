-- expect: clean
-- note: held-out batch, written without running the analyser first
select s.customer_id, s.as_of_ts, count(*) as n
from {{ ref('spine') }} as s join {{ ref('orders') }} as o on o.customer_id = s.customer_id
and o.event_ts <= s.as_of_ts - interval '1 hour' and o.known_at <= s.as_of_ts - interval '1 hour' group by 1, 2
