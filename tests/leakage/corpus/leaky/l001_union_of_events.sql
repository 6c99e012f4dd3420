-- expect: LK001
with activity as (
    select customer_id, event_ts from {{ ref('orders') }}
    union all
    select customer_id, event_ts from {{ ref('sessions') }}
)
select s.customer_id, s.as_of_ts, count(*) as activity
from {{ ref('spine') }} as s
join activity as a on a.customer_id = s.customer_id
group by 1, 2
