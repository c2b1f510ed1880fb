{#-
    The field separator of a raw CSV file: ';' when its header, split at commas, is one name that
    holds a semicolon (a European spreadsheet's export), else ','. Chosen from the header alone,
    so a malformed line further down cannot change it (DuckDB's sniffer can be misled by one).
-#}
{% macro raw_csv_delimiter(csv_path) %}
    {%- set names = raw_csv_header(csv_path, ',') -%}
    {{ return(';' if names | length == 1 and ';' in names[0] else ',') }}
{% endmacro %}
