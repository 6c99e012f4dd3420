{#- Small pieces shared by the public macros. Internal names start with an underscore; the
    columns they generate start with __sqltrain_ so they never collide with the user's. -#}

{#- The implementation a public macro runs: the one adapter.dispatch picked (an adapter without
    its own version falls back to default__), or that macro's portable default__ when
    var('sqltrain_portable') is true, so that the portable SQL can be compared with the adapter's
    on one engine (the property tests and integration_tests/ do). Each public macro that builds a
    relation writes its adapter.dispatch('<name>', 'sqltrain') call out literally (dbt records
    the dependency from it) and passes the result here, so no implementation checks the var; the
    expression helpers (interval, as_of_literal) keep the adapter's syntax either way. -#}
{% macro _or_portable(implementation) %}
    {%- if sqltrain._use_portable() -%}
        {{ return(sqltrain['default__' ~ implementation.get_name().split('__', 1)[-1]]) }}
    {%- endif -%}
    {{ return(implementation) }}
{% endmacro %}


{% macro _use_portable() %}
    {%- set flag = var('sqltrain_portable', false) -%}
    {{ return(flag is sameas true or (flag | string | lower) in ('true', '1', 'yes')) }}
{% endmacro %}


{#- The default of every as_of argument (and of cutoff_spine's end): 'var:as_of' stands for
    var('as_of'), read only when the macro runs (execute), never while dbt parses the model. dbt's
    partial parsing parses again every file that read the as-of date when it changes, and sqltrain
    sets a new one for every snapshot; a model that reads it only through the macros is parsed
    once. Any other value, none included ("no as-of bound"), is the caller's. -#}
{% macro _as_of_arg(value) %}
    {{ return(var('as_of', none) if value == 'var:as_of' else value) }}
{% endmacro %}


{#- Every compile-time error of the package: one line, naming the macro (and argument or source)
    at fault in `context`, then what is wrong and what to do. -#}
{% macro _fail(context, message) %}
    {{ exceptions.raise_compiler_error("sqltrain: " ~ context ~ " " ~ message) }}
{% endmacro %}


{#- Accepts a string or a list of column names. -#}
{% macro _as_list(value) %}
    {%- if value is none -%}
        {{ return([]) }}
    {%- elif value is string -%}
        {{ return([value]) }}
    {%- else -%}
        {{ return(value | list) }}
    {%- endif -%}
{% endmacro %}


{#- Source keys default to the spine's entity keys and must match them one for one. -#}
{% macro _source_keys(keys, entity_keys, where_) %}
    {%- set resolved = sqltrain._as_list(keys) if keys is not none else entity_keys -%}
    {%- if resolved | length != entity_keys | length -%}
        {%- do sqltrain._fail(where_, "has keys " ~ resolved ~ " but the spine's entity_keys are " ~ entity_keys ~ "; give one source key per entity key, in the same order") -%}
    {%- endif -%}
    {{ return(resolved) }}
{% endmacro %}


{#- `a as __sqltrain_k0, b as __sqltrain_k1` -#}
{% macro _select_keys(columns, alias=none) -%}
    {%- for c in columns -%}
        {{ (alias ~ '.') if alias else '' }}{{ c }} as __sqltrain_k{{ loop.index0 }}{{ ', ' if not loop.last }}
    {%- endfor -%}
{%- endmacro %}


{#- `__sqltrain_k0, __sqltrain_k1` qualified by alias when given. -#}
{% macro _key_list(n, alias=none) -%}
    {%- for i in range(n) -%}
        {{ (alias ~ '.') if alias else '' }}__sqltrain_k{{ i }}{{ ', ' if not loop.last }}
    {%- endfor -%}
{%- endmacro %}


{#- Equality of the generated key columns of two aliases (NULL never equals NULL). -#}
{% macro _keys_equal(n, left, right) -%}
    {%- for i in range(n) -%}
        {{ left }}.__sqltrain_k{{ i }} = {{ right }}.__sqltrain_k{{ i }}{{ ' and ' if not loop.last }}
    {%- endfor -%}
{%- endmacro %}


{#- Equality of the spine's own key columns with generated key columns. -#}
{% macro _spine_keys_equal(entity_keys, spine_alias, right) -%}
    {%- for k in entity_keys -%}
        {{ spine_alias }}.{{ k }} = {{ right }}.__sqltrain_k{{ loop.index0 }}{{ ' and ' if not loop.last }}
    {%- endfor -%}
{%- endmacro %}


{% macro _not_null(columns, alias=none) -%}
    {%- for c in columns -%}
        {{ (alias ~ '.') if alias else '' }}{{ c }} is not null{{ ' and ' if not loop.last }}
    {%- endfor -%}
{%- endmacro %}


{#- The distinct (entity keys, cutoff) pairs of a spine with no NULL key and a cutoff: features
    are computed once per pair and joined back, so spine duplicates cost nothing and come out
    as they went in. -#}
{% macro _spine_pairs(spine, entity_keys, cutoff, extra_where=none) -%}
    select distinct {{ sqltrain._select_keys(entity_keys) }}, {{ cutoff }} as __sqltrain_t
    from {{ spine }}
    where {{ sqltrain._not_null(entity_keys) }} and {{ cutoff }} is not null
    {%- if extra_where %} and {{ extra_where }}{% endif %}
{%- endmacro %}


{#- The way back from _spine_pairs: join the rows computed per (entity keys, cutoff) pair, as
    `alias`, to every spine row of that pair (the spine is __sqltrain_spine). -#}
{% macro _join_pairs(computed, alias, entity_keys, cutoff) -%}
left join {{ computed }} as {{ alias }}
    on {{ sqltrain._spine_keys_equal(entity_keys, '__sqltrain_spine', alias) }}
    and __sqltrain_spine.{{ cutoff }} = {{ alias }}.__sqltrain_t
{%- endmacro %}


{#- Feature columns: items are 'col' or {'col': 'alias'}; returns [[source_col, output_name], ...]. -#}
{% macro _column_specs(columns, where_) %}
    {%- set specs = [] -%}
    {%- for item in sqltrain._as_list(columns) -%}
        {%- if item is mapping -%}
            {%- for name, alias in item.items() -%}
                {%- do specs.append([name, alias]) -%}
            {%- endfor -%}
        {%- else -%}
            {%- do specs.append([item, item]) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if specs | length == 0 -%}
        {%- do sqltrain._fail(where_, "brings no columns; list them in `columns`") -%}
    {%- endif -%}
    {{ return(specs) }}
{% endmacro %}
