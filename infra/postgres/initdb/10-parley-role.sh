#!/bin/bash
# Runs once, when the postgres container initialises an empty data directory: the services connect as role
# parley, which owns only the parley database (and so its schema) - no superuser, no CREATEROLE, no CREATEDB.
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres -v password="$PARLEY_DB_PASSWORD" <<'SQL'
CREATE ROLE parley LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD :'password';
CREATE DATABASE parley OWNER parley;
REVOKE ALL ON DATABASE parley FROM PUBLIC;
SQL
