"""dbt-duckdb plugin: hands the email salt to DuckDB out of band.

Sets the session variable customer_retention_email_salt from the environment variable
CUSTOMER_RETENTION_EMAIL_SALT on every connection and cursor dbt opens, as a bound parameter, so
the salt never appears in SQL text, and so never in dbt's compiled SQL, logs, errors or manifest.
The SQL reads it with getvariable() (macro email_salt). Unset or empty: no variable, so every
email hash is null. profiles.yml loads it (module_paths: scripts, plugins: duckdb_email_salt).
"""

from __future__ import annotations

import os

from dbt.adapters.duckdb.plugins import BasePlugin

SALT_VARIABLE = "CUSTOMER_RETENTION_EMAIL_SALT"


def set_salt(connection) -> None:
    salt = os.environ.get(SALT_VARIABLE, "")
    if salt:
        connection.execute("set variable customer_retention_email_salt = ?", [salt])


class Plugin(BasePlugin):
    def configure_connection(self, conn) -> None:
        set_salt(conn)

    def configure_cursor(self, cursor) -> None:
        set_salt(cursor)
