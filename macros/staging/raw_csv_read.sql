{#-
    DuckDB's read_csv over one raw CSV file, in the one dialect the input contract accepts (README,
    Input contract): a header row, comma- or semicolon-separated (raw_csv_delimiter), fields optionally quoted with double quotes
    (a quote inside a quoted field written twice), LF or CRLF line ends, UTF-8. Nothing is
    sniffed: a sniffer that meets a bad line guesses another dialect or fails on the whole file.
    Every column is text (column_names, from raw_csv_header). A line the reader cannot split into
    exactly those columns is malformed: on_error says what happens to it, either
    'ignore_errors = true' (staging reads the good lines) or store_rejects options
    (base_raw__malformed_lines keeps the bad ones).
-#}
{% macro raw_csv_read(csv_path, column_names, on_error) %}
    {#- a list of files (the unread files of a folder) is read as one, in the first file's dialect -#}
    {%- set paths = csv_path if csv_path is not string else [csv_path] -%}
    {%- set delimiter = raw_csv_delimiter(paths[0]) -%}
    {%- set quoted = [] -%}
    {%- for path in paths -%}
        {%- do quoted.append("'" ~ path | replace("'", "''") ~ "'") -%}
    {%- endfor -%}
    {%- set columns = [] -%}
    {%- for name in column_names -%}
        {%- do columns.append("'" ~ name | replace("'", "''") ~ "': 'varchar'") -%}
    {%- endfor -%}
    {{ return(
        "read_csv(" ~ (quoted[0] if csv_path is string else '[' ~ quoted | join(', ') ~ ']') ~ ", header = true, auto_detect = false,"
        ~ " delim = '" ~ delimiter ~ "', quote = '\"', escape = '\"', columns = {" ~ columns | join(', ') ~ "}, "
        ~ on_error ~ ")"
    ) }}
{% endmacro %}
