-- expect: LK001
with per_customer as (
    select customer_id, avg(duration_s) as avg_duration
    from {{ ref('sessions') }}
    group by customer_id
)
select s.customer_id, s.as_of_ts, p.avg_duration
from {{ ref('spine') }} as s
left join per_customer as p on p.customer_id = s.customer_id
