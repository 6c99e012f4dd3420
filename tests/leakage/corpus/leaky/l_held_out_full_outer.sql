-- expect: LK001
-- note: held-out batch 2, written without running the analyser first
select coalesce(s.customer_id, w.customer_id) as customer_id, s.as_of_ts, w.page_views
from {{ ref('spine') }} as s full outer join {{ ref('sessions') }} as w on w.customer_id = s.customer_id
