-- expect: LK006
select customer_id, current_date as as_of_ts
from {{ ref('customers') }}
