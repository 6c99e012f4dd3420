{#
  SCD2 history of the mutable customers table (DESIGN §3.6). In production this runs daily;
  the demo warehouse ships the history such a daily run would have recorded since launch.
  Read it as of a cutoff with sqltrain.scd2_as_of_join.
#}
{% snapshot customers_snapshot %}
{{ config(
    enabled=project_name == "sqltrain",
    target_schema='snapshots',
    unique_key='customer_id',
    strategy='timestamp',
    updated_at='updated_at',
) }}
select * from {{ source('raw', 'customers') }}
{% endsnapshot %}
