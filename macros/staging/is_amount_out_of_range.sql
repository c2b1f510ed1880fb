{#-
    Whether a parsed amount (parse_number: numeric(28,6), null when its text does not fit) cannot
    be held exactly enough by the marts: 10^12 or more in size (a trillion per row keeps a sum
    over 10^9 rows, and the CLTV products, inside numeric(28,6)), or a non-zero amount that
    rounds to zero at 6 decimals (0.0000001 would become a free plan). Amounts are otherwise
    held to 6 decimals, rounded. Called after the not_a_number check, so the text is a number.
-#}
{% macro is_amount_out_of_range(parsed_amount, raw_amount) -%}
    (
        {{ parsed_amount }} is null
        or abs({{ parsed_amount }}) >= 1e12
        or ({{ parsed_amount }} = 0 and {{ matches_regex(clean_text(raw_amount), '^[+-]?[0.]*[1-9].*$') }})
    )
{%- endmacro %}
