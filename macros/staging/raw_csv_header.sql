{#-
    The column names in the first line of a raw CSV file, split by DuckDB's reader in the dialect
    of raw_csv_read (no sniffing, so a malformed line further down cannot change how the header is
    read), trimmed; a blank name becomes column<n> (n counted from 0). An empty file stops the
    build with a message naming it. DuckDB only; reads the first line alone. `delimiter` is the
    file's (raw_csv_delimiter finds it when none is given).
-#}
{% macro raw_csv_header(csv_path, delimiter=none) %}
    {%- set delimiter = delimiter or raw_csv_delimiter(csv_path) -%}
    {%- set max_columns = 256 -%}
    {%- set slots = [] -%}
    {%- for position in range(max_columns) -%}
        {%- do slots.append("'c" ~ position ~ "': 'varchar'") -%}
    {%- endfor -%}
    {%- set first_line = run_query(
        "select * from read_csv('" ~ csv_path | replace("'", "''") ~ "', header = false,"
        ~ " auto_detect = false, delim = '" ~ delimiter ~ "', quote = '\"', escape = '\"', columns = {"
        ~ slots | join(', ') ~ "}, null_padding = true, ignore_errors = true, parallel = false) limit 1"
    ).rows -%}
    {%- if first_line | length == 0 -%}
        {{ exceptions.raise_compiler_error(
            "Raw file " ~ csv_path ~ " is empty: a CSV file needs at least its header row"
            ~ " (README, Input contract)."
        ) }}
    {%- endif -%}
    {%- set values = first_line[0] | list -%}
    {%- set given = [] -%}
    {%- for value in values -%}
        {%- if value is not none and value | trim != '' -%}
            {%- do given.append(loop.index0) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set names = [] -%}
    {%- for position in range((given | max + 1) if given else 0) -%}
        {%- set value = values[position] -%}
        {%- do names.append(value | trim if value is not none and value | trim != '' else 'column' ~ position) -%}
    {%- endfor -%}
    {{ return(names) }}
{% endmacro %}
