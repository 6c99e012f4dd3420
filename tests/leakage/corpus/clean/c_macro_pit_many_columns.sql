-- expect: clean
-- a wide call: the first source brings 32 columns, so each source is joined to the spine's (keys, cutoff) pairs
with spine as (select customer_id, as_of_ts from {{ ref('spine') }}),

result as (
{{ sqltrain.point_in_time_join(
    spine='spine', entity_keys=['customer_id'], cutoff='as_of_ts',
    sources=[{'relation': ref('orders'), 'columns': [{'amount': 'o0'}, {'status': 'o1'}, {'items': 'o2'}, {'amount': 'o3'}, {'status': 'o4'}, {'items': 'o5'}, {'amount': 'o6'}, {'status': 'o7'}, {'items': 'o8'}, {'amount': 'o9'}, {'status': 'o10'}, {'items': 'o11'}, {'amount': 'o12'}, {'status': 'o13'}, {'items': 'o14'}, {'amount': 'o15'}, {'status': 'o16'}, {'items': 'o17'}, {'amount': 'o18'}, {'status': 'o19'}, {'items': 'o20'}, {'amount': 'o21'}, {'status': 'o22'}, {'items': 'o23'}, {'amount': 'o24'}, {'status': 'o25'}, {'items': 'o26'}, {'amount': 'o27'}, {'status': 'o28'}, {'items': 'o29'}, {'amount': 'o30'}, {'status': 'o31'}], 'known_at': 'known_at', 'tie_break': ['order_id']},
             {'relation': ref('sessions'), 'columns': ['duration_s', 'page_views'], 'known_at': 'known_at', 'ttl': '30 days', 'prefix': 'w_'}]) }}
)

select * from result
