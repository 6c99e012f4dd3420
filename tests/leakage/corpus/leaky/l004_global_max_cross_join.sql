-- expect: LK004
-- note: held-out batch, written without running the analyser first
select s.customer_id, s.as_of_ts, m.last_seen
from {{ ref('spine') }} as s cross join (select max(event_ts) as last_seen from {{ ref('sessions') }}) as m
