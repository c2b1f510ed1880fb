#!/usr/bin/env bash
# A local PostgreSQL server for the `postgres` target and its tests: a real server from Debian's
# packages, in a cluster of its own (`customer_retention`), listening on 127.0.0.1 only.
#
#   scripts/postgres.sh start   install PostgreSQL if missing, create the cluster once, start it, and
#                               create the dbt login role and database (idempotent)
#   scripts/postgres.sh stop    stop the cluster (its data stays; `drop` removes it)
#   scripts/postgres.sh drop    stop and delete the cluster
#   scripts/postgres.sh status  exit 0 when the cluster is up, 1 otherwise
#
# Environment (the same names as profiles.yml, with the same defaults):
#   POSTGRES_PORT (54329), POSTGRES_USER (dbt), POSTGRES_PASSWORD (dbt), POSTGRES_DB (customer_retention)
#   BI_READER_PASSWORD (bi_reader): the login role bi_reader, which dbt grants select on the marts
#   scripts/postgres.sh recreate-db NAME   drop and create database NAME owned by the dbt role
# On this server PUBLIC keeps no privilege on a database (PostgreSQL's defaults give every role
# connect and temporary tables everywhere): the databases the script creates, and postgres and
# template1, are closed to PUBLIC, so bi_reader connects only where dbt granted it select on
# marts (the on-run-end hook grants connect), and creates no temporary tables anywhere. A user's
# own warehouse is left to its administrator (docs/engines.md).
# Needs root (apt-get, and pg_ctlcluster runs the server as the `postgres` system user).
set -euo pipefail

CLUSTER=customer_retention
PORT="${POSTGRES_PORT:-54329}"
USER_NAME="${POSTGRES_USER:-dbt}"
PASSWORD="${POSTGRES_PASSWORD:-dbt}"
DATABASE="${POSTGRES_DB:-customer_retention}"
BI_READER_PASSWORD="${BI_READER_PASSWORD:-bi_reader}"

pg_version() {
    ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -1
}

install_postgres() {
    if [ -z "$(pg_version)" ] || ! command -v pg_createcluster >/dev/null; then
        echo "postgres.sh: installing PostgreSQL from Debian's packages"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        # The package's own cluster (main) is not used; policy-rc.d may stop it from starting, which is fine.
        apt-get install -y -qq postgresql >/dev/null
    fi
}

cluster_exists() {
    pg_lsclusters --no-header 2>/dev/null | awk '{print $2}' | grep -qx "$CLUSTER"
}

is_online() {
    pg_lsclusters --no-header 2>/dev/null | awk -v c="$CLUSTER" '$2 == c {print $4}' | grep -qx online
}

psql_admin() {
    su postgres -c "psql --quiet --no-psqlrc -v ON_ERROR_STOP=1 --port $PORT --host 127.0.0.1 $*"
}

# SQL closing database $1 to PUBLIC: no connect, no temporary tables, and (before PostgreSQL 15,
# which already does this) no create on its schema public. The owner keeps every privilege.
close_to_public() {
    cat <<SQL
revoke connect, temporary on database "$1" from public;
\\connect "$1"
revoke create on schema public from public;
SQL
}

start() {
    install_postgres
    local version
    version="$(pg_version)"
    if ! cluster_exists; then
        pg_createcluster --port "$PORT" "$version" "$CLUSTER" \
            -- --auth-local=peer --auth-host=scram-sha-256 >/dev/null
        # Loopback only; a small server is plenty for the test data.
        cat >"/etc/postgresql/$version/$CLUSTER/conf.d/customer_retention.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $PORT
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
        # The administrator connects over TCP as postgres without a password (loopback only).
        sed -i "1i host all postgres 127.0.0.1/32 trust" "/etc/postgresql/$version/$CLUSTER/pg_hba.conf"
    fi
    if ! is_online; then
        pg_ctlcluster "$version" "$CLUSTER" start
    fi
    for _ in $(seq 1 30); do
        if su postgres -c "pg_isready --quiet --host 127.0.0.1 --port $PORT"; then break; fi
        sleep 1
    done
    psql_admin <<SQL
select format('create role %I login password %L', '$USER_NAME', '$PASSWORD')
where not exists (select from pg_roles where rolname = '$USER_NAME') \\gexec
-- dbt creates the test databases; it owns what it builds
alter role "$USER_NAME" createdb;
-- the BI tools' role: it can log in, and gets select on the marts from dbt's grants, nothing else
select format('create role bi_reader login password %L', '$BI_READER_PASSWORD')
where not exists (select from pg_roles where rolname = 'bi_reader') \\gexec
select format('create database %I owner %I', '$DATABASE', '$USER_NAME')
where not exists (select from pg_database where datname = '$DATABASE') \\gexec
$(close_to_public postgres)
$(close_to_public template1)
$(close_to_public "$DATABASE")
SQL
    echo "postgres.sh: PostgreSQL $version cluster $CLUSTER is up on 127.0.0.1:$PORT (database $DATABASE, user $USER_NAME)"
}

stop() {
    local version
    version="$(pg_version)"
    if [ -n "$version" ] && is_online; then
        pg_ctlcluster "$version" "$CLUSTER" stop
        echo "postgres.sh: cluster $CLUSTER stopped"
    fi
}

drop() {
    stop
    local version
    version="$(pg_version)"
    if [ -n "$version" ] && cluster_exists; then
        pg_dropcluster "$version" "$CLUSTER"
        echo "postgres.sh: cluster $CLUSTER dropped"
    fi
}

recreate_db() {
    local name="$1"
    psql_admin <<SQL
drop database if exists "$name" with (force);
create database "$name" owner "$USER_NAME";
$(close_to_public "$name")
SQL
}

case "${1:-}" in
    start) start ;;
    status) is_online ;;
    recreate-db) recreate_db "${2:?usage: $0 recreate-db NAME}" ;;
    stop) stop ;;
    drop) drop ;;
    *) echo "usage: $0 start|stop|status|drop|recreate-db NAME" >&2; exit 2 ;;
esac
