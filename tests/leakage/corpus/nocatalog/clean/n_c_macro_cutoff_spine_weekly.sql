-- expect: clean
-- meta: {kind: spine, entity: [customer_id], cutoff: as_of_ts}
{{ sqltrain.cutoff_spine(entities=source('raw', 'subscriptions'), entity_keys=['customer_id'], start='2025-06-02',
                         every='week', valid_from='started_at', valid_to='ended_at', known_at='created_at') }}
