{{ config(enabled=project_name == "sqltrain") }}
select
    cast(session_id as bigint)    as session_id,
    cast(customer_id as bigint)   as customer_id,
    cast(started_at as timestamp) as event_ts,
    cast(_loaded_at as timestamp) as known_at,
    cast(duration_s as integer)   as duration_s,
    cast(page_views as integer)   as page_views,
    device
from {{ source('raw', 'web_sessions') }}
