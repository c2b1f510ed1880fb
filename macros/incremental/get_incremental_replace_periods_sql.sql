{#-
    The incremental strategy replace_periods, for the per-customer-per-period models (set in
    dbt_project.yml): delete every row of the periods in the window (incremental_window, computed
    from the table as it was before the run) and of grains no longer built, then insert the
    rebuilt rows. Unlike delete+insert on a unique key, a row that no longer exists (a customer
    no longer active in a window period) disappears too. Both statements run in the model's
    transaction, so a failed run leaves the table as it was.
-#}
{% macro get_incremental_replace_periods_sql(arg_dict) -%}
    {%- set target = arg_dict['target_relation'] -%}
    {%- set columns = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
    delete from {{ target }}
    using ({{ incremental_window(target) }}) as windows
    where
        {{ target }}.period_grain = windows.period_grain
        and {{ target }}.period_start >= windows.window_start;

    delete from {{ target }}
    where period_grain not in (select distinct period_grain from {{ ref('int_periods_spined') }});

    insert into {{ target }} ({{ columns }})
    select {{ columns }}
    from {{ arg_dict['temp_relation'] }}
{%- endmacro %}
