-- expect: clean
select customer_id, as_of_ts,
       lag(as_of_ts) over (partition by customer_id order by as_of_ts) as previous_cutoff
from {{ ref('spine') }}
