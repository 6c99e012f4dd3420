-- expect: clean
-- note: held-out batch, written without running the analyser first
select s.customer_id, s.as_of_ts, count(*) as n
from {{ ref('spine') }} as s join {{ ref('sessions') }} as w on w.customer_id = s.customer_id
and cast(w.event_ts as date) < cast(s.as_of_ts as date) and cast(w.known_at as date) < cast(s.as_of_ts as date) group by 1, 2
