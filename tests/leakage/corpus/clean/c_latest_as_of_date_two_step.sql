-- expect: clean
-- note: the latest plan as of the snapshot date, picked in two steps; the rank is named freely
with ranked as (
    select customer_id, to_plan,
           row_number() over (partition by customer_id order by event_ts desc, change_id desc) as recency
    from {{ ref('plan_changes') }}
    where event_ts <= cast('{{ var("as_of") }}' as timestamp)
      and known_at <= cast('{{ var("as_of") }}' as timestamp)
)
select customer_id, to_plan as plan_as_of_date
from ranked
where recency = 1
