-- expect: LK003
select ticket_id, customer_id, event_ts,
       max(event_ts) over (partition by customer_id) as last_ticket_ts
from {{ ref('tickets') }}
