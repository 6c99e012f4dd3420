-- expect: LK006
select customer_id, current_timestamp as as_of_ts, signup_at
from {{ ref('customers') }}
