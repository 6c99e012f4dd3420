-- expect: LK001
select s.customer_id, s.as_of_ts, sum(w.page_views) as page_views
from {{ ref('spine') }} as s, {{ ref('sessions') }} as w
where w.customer_id = s.customer_id
group by s.customer_id, s.as_of_ts
