-- expect: clean
select ticket_id, customer_id, event_ts, case when priority = 'high' then 1 else 0 end as is_high
from {{ ref('tickets') }}
