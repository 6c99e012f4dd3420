-- expect: LK010
select s.customer_id, s.as_of_ts, sum(w.page_views) as page_views_7d
from {{ ref('spine') }} as s
join {{ ref('sessions') }} as w on w.customer_id = s.customer_id
where w.event_ts <= s.as_of_ts and w.event_ts > s.as_of_ts - interval '7 days'
group by 1, 2
