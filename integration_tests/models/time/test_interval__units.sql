{%- set cases = ['45 seconds', '30 minutes', '12 hours', '1 day', '90 days', '2 weeks', '3 months', '1 year'] %}
{%- for text in cases %}
select
    '{{ text }}' as interval_text,
    cast('2024-01-31 00:00:00' as timestamp) + {{ sqltrain.interval(text) }} as adapter_sum,
    cast('2024-01-31 00:00:00' as timestamp) + {{ sqltrain.default__interval(text) }} as portable_sum
{%- if not loop.last %}
union all
{%- endif %}
{%- endfor %}
