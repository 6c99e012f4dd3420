-- expect: LK012
-- note: held-out batch 3, written without running the analyser first
select distinct on (customer_id) customer_id, to_plan
from {{ ref('plan_changes') }} order by customer_id, event_ts desc
