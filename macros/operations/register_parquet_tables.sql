{#- Registers Parquet directories as external tables of the Spark catalog, so that sources (and
    a snapshot history loaded from elsewhere) resolve on Spark as they do on DuckDB. Called by
    `python -m sqltrain.spark.demo` through `dbt run-operation`, so it runs in the very session
    the `spark` target configures:

        dbt run-operation register_parquet_tables --target spark \
            --args '{tables: [{schema: raw, name: orders, location: /abs/raw/orders}]}'

    An existing table of the same name is dropped first (external: its files stay). Names are
    quoted as Spark identifiers and the location as a Spark string literal, whatever they hold. -#}
{% macro register_parquet_tables(tables) %}
    {%- for t in tables -%}
        {%- set schema = sqltrain._spark_identifier(t['schema']) -%}
        {%- set relation = schema ~ '.' ~ sqltrain._spark_identifier(t['name']) -%}
        {%- do run_query('create database if not exists ' ~ schema) -%}
        {%- do run_query('drop table if exists ' ~ relation) -%}
        {%- do run_query("create table " ~ relation ~ " using parquet location " ~ sqltrain._spark_string(t['location'])) -%}
        {%- do log('sqltrain: registered ' ~ relation ~ ' over ' ~ t['location'], info=true) -%}
    {%- endfor -%}
{% endmacro %}


{#- `name` as a Spark SQL identifier: backticks, an inner backtick doubled. -#}
{% macro _spark_identifier(name) -%}
    `{{ name | string | replace('`', '``') }}`
{%- endmacro %}

{#- `text` as a Spark SQL string literal: backslash and quote escaped with a backslash. -#}
{% macro _spark_string(text) -%}
    '{{ text | string | replace('\\', '\\\\') | replace("'", "\\'") }}'
{%- endmacro %}
