-- expect: LK010
select customer_id, event_ts, change_type
from {{ ref('plan_changes') }}
where event_ts <= cast('{{ var("as_of") }}' as timestamp)
