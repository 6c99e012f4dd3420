{{ config(enabled=project_name == "sqltrain") }}
-- What is known when a ticket is opened. Resolution facts live in feat_ticket_resolutions,
-- timed at the resolution: reading csat at opening time would read the future.
select
    ticket_id,
    customer_id,
    event_ts,
    known_at,
    case when priority = 'high' then 1 else 0 end as is_high_priority
from {{ ref('stg_support_tickets') }}
