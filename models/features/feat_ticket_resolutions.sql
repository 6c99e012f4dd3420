{{ config(enabled=project_name == "sqltrain") }}
-- Ticket resolutions as events of their own: event_ts is the resolution time, and the row is
-- known no earlier than that, whatever the loader's stamp says.
select
    ticket_id,
    customer_id,
    resolved_at                                           as event_ts,
    greatest(known_at, resolved_at)                       as known_at,
    csat,
    {{ dbt.datediff('event_ts', 'resolved_at', 'hour') }} as hours_to_resolve
from {{ ref('stg_support_tickets') }}
where resolved_at is not null
