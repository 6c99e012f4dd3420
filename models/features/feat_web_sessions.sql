{{ config(enabled=project_name == "sqltrain") }}
-- Identified visits only: anonymous sessions cannot be attributed to a customer.
select
    session_id,
    customer_id,
    event_ts,
    known_at,
    duration_s,
    page_views
from {{ ref('stg_web_sessions') }}
where customer_id is not null
