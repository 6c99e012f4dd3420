-- expect: clean
-- meta: {kind: training_set, entity: [account_id, site_id], cutoff: snapshot_date, label: converted, horizon: 14 days}
with spine as (select account_id, site_id, snapshot_date, converted, tier from {{ ref('account_examples') }})

select * from (
{{ sqltrain.point_in_time_join(
    spine='spine', entity_keys=['account_id', 'site_id'], cutoff='snapshot_date',
    sources=[{'relation': ref('site_events'), 'columns': ['event_type', 'value'], 'event_ts': 'occurred_at',
              'known_at': 'loaded_at', 'tie_break': ['event_id'], 'prefix': 'last_', 'strict': true}]) }}
) as latest
