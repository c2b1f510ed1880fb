{#-
    Checks every project variable and returns their values as the project reads them (a dict by
    name; read one with validated_var). Stops on the first problem with a message naming the
    variable: a --vars key that is not a project variable (naming the closest valid one); a
    schema, database or role name that is not a plain identifier (so it can be quoted without
    escaping and carry no SQL); a raw-location variable the chosen raw_source never reads
    (raw_path outside files, raw_schema or raw_database outside tables); then each value's type
    and range. Every variable, its default and its meaning are in README.md, Variables.
    Values come back trimmed, lower-cased where they are names, and as integers where they count
    periods or customers; period_grains is a list and period_grain its first item (the primary
    grain); as_of_date is resolved (unset: today in reporting_timezone, or demo_as_of_date for the
    demo data). Every reader calls it, so it runs while dbt parses: a bad value stops any command
    before anything runs.
-#}
{% macro validate_variables() %}
    {%- set values = {} -%}

    {#- names: only the command line's --vars can hold an unknown one -#}
    {%- set known = [
        'raw_source', 'raw_path', 'raw_schema', 'raw_database', 'period_grains', 'period_grain',
        'as_of_date', 'demo_as_of_date', 'earliest_plausible_date', 'activity_mode',
        'reporting_timezone', 'cltv_churn_window_periods', 'gross_margin', 'clv_time_unit',
        'clv_horizon_periods', 'clv_discount_rate', 'clv_min_customers', 'incremental_lookback_periods',
        'max_rejected_share', 'marts_reader_role', 'sbg_horizon_periods', 'sbg_annual_discount_rate',
        'cltv_holdout_periods', 'event_retention_reports', 'event_retention_grains',
        'event_retention_windows', 'event_retention_max_periods', 'event_retention_brackets',
        'events_loaded_at_column',
    ] -%}
    {%- set given = invocation_args_dict.get('vars') or {} -%}
    {%- if given is string -%}
        {%- set given = fromyaml(given) or {} -%}
    {%- endif -%}
    {%- for name in given | sort -%}
        {%- if name not in known -%}
            {{ exceptions.raise_compiler_error(
                "Unknown variable '" ~ name ~ "' in --vars; did you mean '" ~ closest_name(name, known)
                ~ "'? (The project's variables are listed in README.md, Variables.)"
            ) }}
        {%- endif -%}
    {%- endfor -%}

    {#- names that reach SQL: at most 63 characters (PostgreSQL's limit); marts_reader_role
        lowercase only, as dbt writes it unquoted in its grants and PostgreSQL folds those -#}
    {%- for name, nullable, lowercase_only in [
        ('raw_schema', false, false), ('raw_database', true, false), ('marts_reader_role', false, true),
        ('events_loaded_at_column', true, false),
    ] -%}
        {%- set value = var(name, none) -%}
        {%- set pattern = '^[a-z_][a-z0-9_]*$' if lowercase_only else '^[A-Za-z_][A-Za-z0-9_]*$' -%}
        {%- if not (value is none and nullable)
            and (value is not string or not modules.re.match(pattern, value) or value | length > 63) -%}
            {{ exceptions.raise_compiler_error(
                "Variable " ~ name ~ " must be an identifier: a "
                ~ ("lowercase " if lowercase_only else "") ~ "letter or underscore, then "
                ~ ("lowercase " if lowercase_only else "") ~ "letters, digits or underscores,"
                ~ " at most 63 characters; got '" ~ value ~ "'."
            ) }}
        {%- endif -%}
        {%- do values.update({name: value}) -%}
    {%- endfor -%}

    {#- where raw data comes from -#}
    {%- set raw_source = var('raw_source') | string | trim | lower -%}
    {%- set readers = {'raw_path': 'files', 'raw_schema': 'tables', 'raw_database': 'tables',
        'events_loaded_at_column': 'tables'} -%}
    {%- for name in given | sort -%}
        {%- if name in readers and raw_source != readers[name] and given[name] is not none -%}
            {{ exceptions.raise_compiler_error(
                "Variable " ~ name ~ " is set, but raw_source is '" ~ raw_source ~ "', which does not read it:"
                ~ " set raw_source: " ~ readers[name] ~ " to build from it, or drop " ~ name ~ "."
            ) }}
        {%- endif -%}
    {%- endfor -%}
    {%- if raw_source not in ['demo', 'files', 'tables'] -%}
        {{ exceptions.raise_compiler_error(
            "Variable raw_source must be demo, files or tables; got '" ~ var('raw_source') ~ "'."
        ) }}
    {%- endif -%}
    {%- do values.update({'raw_source': raw_source, 'raw_path': var('raw_path')}) -%}

    {#- grains: period_grains (a list, or a comma-separated string), else [period_grain], else
        [month]; lower-cased, duplicates dropped, in the order given; both set must agree -#}
    {%- set allowed = ['day', 'week', 'month', 'quarter', 'year'] -%}
    {%- set listed = var('period_grains', none) -%}
    {%- set single = var('period_grain', none) -%}
    {%- if listed is none or listed == '' -%}
        {%- set requested = [single if single is not none else 'month'] -%}
    {%- elif listed is string -%}
        {%- set requested = listed.split(',') -%}
    {%- else -%}
        {%- set requested = listed -%}
    {%- endif -%}
    {%- set grains = [] -%}
    {%- for item in requested -%}
        {%- set grain = item | string | trim | lower -%}
        {%- if grain not in allowed -%}
            {{ exceptions.raise_compiler_error(
                "Variables period_grains and period_grain take grains among " ~ allowed | join(', ')
                ~ "; got '" ~ item ~ "'."
            ) }}
        {%- endif -%}
        {%- if grain not in grains -%}
            {%- do grains.append(grain) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if grains | length == 0 -%}
        {{ exceptions.raise_compiler_error("Variable period_grains lists no grain.") }}
    {%- endif -%}
    {%- if listed is not none and listed != '' and single is not none
        and (single | string | trim | lower) not in grains -%}
        {{ exceptions.raise_compiler_error(
            "Variables period_grain ('" ~ single ~ "') and period_grains (" ~ grains | join(', ')
            ~ ") disagree: set one of them (period_grain is shorthand for a one-item period_grains)."
        ) }}
    {%- endif -%}
    {%- do values.update({'period_grains': grains, 'period_grain': grains[0]}) -%}

    {%- set mode = var('activity_mode') | string | trim | lower -%}
    {%- if mode not in ['subscription', 'transaction'] -%}
        {{ exceptions.raise_compiler_error(
            "Variable activity_mode must be 'subscription' or 'transaction'; got '"
            ~ var('activity_mode') ~ "'."
        ) }}
    {%- endif -%}
    {%- do values.update({'activity_mode': mode}) -%}

    {%- set timezone = var('reporting_timezone') | string | trim -%}
    {%- if timezone not in modules.pytz.all_timezones_set -%}
        {{ exceptions.raise_compiler_error(
            "Variable reporting_timezone must be an IANA time zone name such as 'UTC' or"
            ~ " 'Europe/Paris'; got '" ~ var('reporting_timezone') ~ "'."
        ) }}
    {%- endif -%}
    {%- do values.update({'reporting_timezone': timezone}) -%}

    {#- dates, as 'YYYY-MM-DD' dates that exist (2025-02-30 does not: datetime's own error would
        name no variable). demo_as_of_date is checked only where it is read: as_of_date unset
        (or 'today') with the demo data. -#}
    {%- set configured = var('as_of_date') -%}
    {%- set as_of_unset = configured is none or (configured | string | trim) in ['', 'today'] -%}
    {%- set dates = [] -%}
    {%- if not as_of_unset -%}
        {%- do dates.append('as_of_date') -%}
    {%- elif var('raw_source') == 'demo' -%}
        {%- do dates.append('demo_as_of_date') -%}
    {%- endif -%}
    {%- do dates.append('earliest_plausible_date') -%}
    {%- for name in dates -%}
        {%- set value = var(name) -%}
        {%- set text = value | string | trim -%}
        {%- if not modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}$', text) -%}
            {{ exceptions.raise_compiler_error(
                "Variable " ~ name ~ " must be a date written YYYY-MM-DD; got '" ~ value ~ "'."
            ) }}
        {%- endif -%}
        {%- set year, month, day = text[0:4] | int, text[5:7] | int, text[8:10] | int -%}
        {%- set days_in_month = 0 -%}
        {%- if year >= 1 and 1 <= month <= 12 -%}
            {%- set first_of_next = modules.datetime.date(year + 1, 1, 1) if month == 12
                else modules.datetime.date(year, month + 1, 1) -%}
            {%- set days_in_month = (first_of_next - modules.datetime.date(year, month, 1)).days -%}
        {%- endif -%}
        {%- if not 1 <= day <= days_in_month -%}
            {{ exceptions.raise_compiler_error(
                "Variable " ~ name ~ " must be a date that exists, written YYYY-MM-DD; got '" ~ value ~ "'."
            ) }}
        {%- endif -%}
        {%- do values.update({name: text}) -%}
    {%- endfor -%}
    {%- if as_of_unset -%}
        {%- set today = run_started_at.astimezone(modules.pytz.timezone(timezone)).strftime('%Y-%m-%d') -%}
        {%- do values.update({'as_of_date': values.get('demo_as_of_date', today)}) -%}
    {%- endif -%}

    {#- whole numbers: name, least value, unit of the message -#}
    {%- for name, least, unit in [
        ('cltv_churn_window_periods', 1, 'a whole number of periods >= 1'),
        ('clv_horizon_periods', 1, 'a whole number of months >= 1'),
        ('clv_min_customers', 1, 'a whole number >= 1'),
        ('sbg_horizon_periods', 1, 'a whole number of periods >= 1'),
        ('cltv_holdout_periods', 1, 'a whole number of periods >= 1'),
        ('incremental_lookback_periods', 0, 'a whole number of periods >= 0'),
    ] -%}
        {%- set text = var(name) | string | trim -%}
        {%- if not modules.re.match('^[0-9]+$', text) or (text | int) < least -%}
            {{ exceptions.raise_compiler_error(
                "Variable " ~ name ~ " must be " ~ unit ~ "; got '" ~ var(name) ~ "'."
            ) }}
        {%- endif -%}
        {%- do values.update({name: text | int}) -%}
    {%- endfor -%}

    {%- set margin = var('gross_margin') | string | trim -%}
    {%- if not modules.re.match('^[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)$', margin) -%}
        {{ exceptions.raise_compiler_error(
            "Variable gross_margin must be a number such as 1.0 or 0.7; got '" ~ var('gross_margin') ~ "'."
        ) }}
    {%- endif -%}
    {%- do values.update({'gross_margin': margin}) -%}

    {%- set share = var('max_rejected_share') | string | trim -%}
    {%- if not modules.re.match('^([0-9]+([.][0-9]*)?|[.][0-9]+)$', share) or (share | float) > 1 -%}
        {{ exceptions.raise_compiler_error(
            "Variable max_rejected_share must be a share from 0 to 1, such as 0.05 for 5%; got '"
            ~ var('max_rejected_share') ~ "'."
        ) }}
    {%- endif -%}
    {%- do values.update({'max_rejected_share': share}) -%}

    {%- set unit = var('clv_time_unit') | string | trim | lower -%}
    {%- if unit not in ['day', 'week'] -%}
        {{ exceptions.raise_compiler_error(
            "Variable clv_time_unit must be 'day' or 'week'; got '" ~ var('clv_time_unit') ~ "'."
        ) }}
    {%- endif -%}
    {%- set rate = var('clv_discount_rate') | string | trim -%}
    {%- if not modules.re.match('^[0-9]*[.]?[0-9]+$', rate) -%}
        {{ exceptions.raise_compiler_error(
            "Variable clv_discount_rate must be a monthly rate >= 0 such as 0.01; got '"
            ~ var('clv_discount_rate') ~ "'."
        ) }}
    {%- endif -%}
    {%- do values.update({'clv_time_unit': unit, 'clv_discount_rate': rate | float}) -%}
    {#- > 0: undiscounted, an sBG customer's expected payments are infinite when alpha <= 1 -#}
    {%- set annual = var('sbg_annual_discount_rate') | string | trim -%}
    {%- if not modules.re.match('^[0-9]*[.]?[0-9]+$', annual) or (annual | float) <= 0 -%}
        {{ exceptions.raise_compiler_error(
            "Variable sbg_annual_discount_rate must be a yearly rate > 0 such as 0.10; got '"
            ~ var('sbg_annual_discount_rate') ~ "'."
        ) }}
    {%- endif -%}
    {%- do values.update({'sbg_annual_discount_rate': annual | float}) -%}

    {#- product-usage events (docs/metrics.md, Product usage): the retention reports, grains,
        windows, the largest age reported and the brackets, per grain -#}
    {%- set event_grains_allowed = ['day', 'week', 'month'] -%}
    {%- set listed = var('event_retention_grains') -%}
    {%- set event_grains = [] -%}
    {%- for grain in ((listed.split(',') if listed is string else listed) or []) -%}
        {%- set grain = grain | string | trim | lower -%}
        {%- if grain not in event_grains_allowed -%}
            {{ exceptions.raise_compiler_error(
                "Variable event_retention_grains takes grains among day, week, month; got '" ~ grain ~ "'."
            ) }}
        {%- endif -%}
        {%- if grain not in event_grains -%}
            {%- do event_grains.append(grain) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if not event_grains -%}
        {{ exceptions.raise_compiler_error("Variable event_retention_grains lists no grain.") }}
    {%- endif -%}
    {%- set listed = var('event_retention_windows') -%}
    {%- set windows = [] -%}
    {%- for window in ((listed.split(',') if listed is string else listed) or []) -%}
        {%- set window = window | string | trim | lower -%}
        {%- if window not in ['calendar', 'rolling'] -%}
            {{ exceptions.raise_compiler_error(
                "Variable event_retention_windows takes calendar and/or rolling; got '" ~ window ~ "'."
            ) }}
        {%- endif -%}
        {%- if window not in windows -%}
            {%- do windows.append(window) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if not windows -%}
        {{ exceptions.raise_compiler_error("Variable event_retention_windows lists no window.") }}
    {%- endif -%}
    {%- if 'rolling' in windows and 'month' in event_grains -%}
        {{ exceptions.raise_compiler_error(
            "Variable event_retention_windows has 'rolling', which counts 24-hour (day) or 7 x 24-hour"
            ~ " (week) windows; a month has no fixed length, so event_retention_grains must not list"
            ~ " month with it (got " ~ event_grains | join(', ') ~ ")."
        ) }}
    {%- endif -%}
    {%- set per_grain = {} -%}
    {%- set caps = var('event_retention_max_periods') -%}
    {%- for grain in event_grains -%}
        {%- set cap = caps.get(grain) if caps is mapping else caps -%}
        {%- set text = cap | string | trim -%}
        {%- if not modules.re.match('^[0-9]+$', text) or not 1 <= (text | int) <= 999 -%}
            {{ exceptions.raise_compiler_error(
                "Variable event_retention_max_periods must be a whole number of periods from 1 to 999,"
                ~ " or a map of one per grain ({day: 90, week: 52, month: 24}); got '" ~ cap
                ~ "' for " ~ grain ~ "."
            ) }}
        {%- endif -%}
        {%- do per_grain.update({grain: text | int}) -%}
    {%- endfor -%}
    {%- set per_grain_brackets = {} -%}
    {%- set bracket_setting = var('event_retention_brackets') -%}
    {%- for grain in event_grains -%}
        {%- set brackets = bracket_setting.get(grain) if bracket_setting is mapping else bracket_setting -%}
        {%- set checked = [] -%}
        {%- if brackets is string or brackets is mapping or brackets is not iterable or not brackets -%}
            {%- set brackets = [none] -%}
        {%- endif -%}
        {%- for bracket in brackets -%}
            {%- set bounds = bracket | list if bracket is iterable and bracket is not string and bracket is not mapping else [] -%}
            {%- if bounds | length != 2 or not modules.re.match('^[0-9]+$', bounds[0] | string)
                or not modules.re.match('^[0-9]+$', bounds[1] | string)
                or not 1 <= (bounds[0] | int) <= (bounds[1] | int) <= 999 -%}
                {{ exceptions.raise_compiler_error(
                    "Variable event_retention_brackets must be a list of [from, to] age ranges with"
                    ~ " 1 <= from <= to <= 999, such as [[1, 1], [2, 7]], or a map of one list per grain;"
                    ~ " got '" ~ bracket ~ "' for " ~ grain ~ "."
                ) }}
            {%- endif -%}
            {%- do checked.append([bounds[0] | int, bounds[1] | int]) -%}
        {%- endfor -%}
        {%- do per_grain_brackets.update({grain: checked}) -%}
    {%- endfor -%}
    {%- set reports = var('event_retention_reports') -%}
    {%- set checked_reports = [] -%}
    {%- if reports is string or reports is mapping or reports is not iterable or not reports -%}
        {{ exceptions.raise_compiler_error(
            "Variable event_retention_reports must be a list of reports, each {name, start_events,"
            ~ " return_events, cohort}; got '" ~ reports ~ "'."
        ) }}
    {%- endif -%}
    {%- for report in reports -%}
        {%- set name = (report.get('name') if report is mapping else none) | string | trim | lower -%}
        {%- if report is not mapping or not modules.re.match('^[a-z][a-z0-9_]{0,62}$', name)
            or name in checked_reports | map(attribute='name') | list -%}
            {{ exceptions.raise_compiler_error(
                "Variable event_retention_reports: each report needs a unique name of lowercase letters,"
                ~ " digits and underscores (got '" ~ report ~ "')."
            ) }}
        {%- endif -%}
        {%- set unknown = report.keys() | reject('in', ['name', 'start_events', 'return_events', 'cohort']) | list -%}
        {%- if unknown -%}
            {{ exceptions.raise_compiler_error(
                "Variable event_retention_reports: report " ~ name ~ " has unknown key(s) " ~ unknown | join(', ')
                ~ "; a report has name, start_events, return_events and cohort."
            ) }}
        {%- endif -%}
        {%- set checked_report = {'name': name} -%}
        {%- for key in ['start_events', 'return_events'] -%}
            {%- set events = report.get(key, 'any') -%}
            {%- if events is string and events | trim | lower == 'any' -%}
                {%- do checked_report.update({key: 'any'}) -%}
            {%- else -%}
                {%- set names = [events] if events is string else events -%}
                {%- if names is mapping or names is not iterable or not names
                    or names | reject('string') | list or names | map('trim') | select('equalto', '') | list -%}
                    {{ exceptions.raise_compiler_error(
                        "Variable event_retention_reports: " ~ key ~ " of report " ~ name ~ " must be 'any'"
                        ~ " or a list of event names; got '" ~ events ~ "'."
                    ) }}
                {%- endif -%}
                {%- do checked_report.update({key: names | map('trim') | unique | list}) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- set cohort = report.get('cohort', 'first_time') | string | trim | lower -%}
        {%- if cohort not in ['first_time', 'recurring'] -%}
            {{ exceptions.raise_compiler_error(
                "Variable event_retention_reports: cohort of report " ~ name ~ " must be first_time or"
                ~ " recurring; got '" ~ report.get('cohort') ~ "'."
            ) }}
        {%- endif -%}
        {%- do checked_report.update({'cohort': cohort}) -%}
        {%- do checked_reports.append(checked_report) -%}
    {%- endfor -%}
    {%- do values.update({
        'event_retention_reports': checked_reports,
        'event_retention_grains': event_grains,
        'event_retention_windows': windows,
        'event_retention_max_periods': per_grain,
        'event_retention_brackets': per_grain_brackets,
    }) -%}

    {{ return(values) }}
{% endmacro %}
