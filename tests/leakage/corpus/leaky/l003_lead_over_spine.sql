-- expect: LK003
select customer_id, as_of_ts,
       lead(as_of_ts) over (partition by customer_id order by as_of_ts) as next_cutoff
from {{ ref('spine') }}
