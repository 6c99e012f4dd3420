{{ config(enabled=project_name == "sqltrain") }}
select
    cast(ticket_id as bigint)      as ticket_id,
    cast(customer_id as bigint)    as customer_id,
    cast(opened_at as timestamp)   as event_ts,
    cast(_loaded_at as timestamp)  as known_at,
    priority,
    category,
    cast(resolved_at as timestamp) as resolved_at,
    cast(csat as integer)          as csat
from {{ source('raw', 'support_tickets') }}
