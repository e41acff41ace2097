"""A token per plan that the database changes with every write of its measurement data.

``plans_plan.data_token`` is set to a new random value, **by the database itself**
(triggers), in the same transaction as every insert, update or delete of a row of
the plan's periods, workflow states (``Measurement``) or values, and of the values of
the plan it was rolled from (its successors read them: ``plandata._carried``). Writes
through the services, the admin, a shell, a script or plain SQL all change it, so a
reader that finds the token unchanged knows that none of those rows changed: the
read path keeps every period's values and states per token in its process
(``plandata.plan_data``) and reads one row, not the whole plan, when nothing changed.

Random, not a counter: a counter bumped in a transaction that rolls back would be
reused by the next write, and a process that read the rolled-back data under that
number (the writer itself, inside its transaction) would keep them for the new
ones. The column is not a field of the ``Plan`` model on purpose: ``Plan.save()``
would write back the token it had read, and a token could then name two states of
the data. It is not in backups (a restore's inserts set new tokens).

The column and the triggers are installed by migration
``measurements.0007_speed2_data_token`` and again after every ``migrate``
(``post_migrate``, idempotent): on SQLite a later migration that remakes one of
these tables drops its triggers (and, for ``plans_plan``, the column), and this puts
them back. SQLite fires a trigger per row; PostgreSQL once per statement (with the
statement's rows as a transition table), so a 10,000-row upload changes the token
once per statement, not per row. docs/read-path.md describes the whole read path.
"""

from __future__ import annotations

from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections

__all__ = ["COLUMN", "install", "installed", "read", "uninstall", "watch"]

COLUMN = "data_token"
PLAN_TABLE = "plans_plan"
PERIOD_TABLE = "measurements_period"
#: table -> how its rows name their plan: through their period, or directly. The
#: apps above add theirs (:func:`watch`): what a plan's pages show besides figures
WATCHED = {
    "measurements_value": "period",
    "measurements_measurement": "period",
    "measurements_period": "plan",
    "measurements_certifiedrecord": "plan",
}
#: the tables whose writes the process's kept values and states must follow (the
#: others change the token too: a page showing them is kept no longer than they are)
DATA_TABLES = frozenset(WATCHED)


def watch(table: str, via: str = "plan") -> None:
    """Have writes of ``table`` (whose rows have a ``plan_id``, or a ``period_id`` with
    ``via="period"``) change the token too: an app's ``ready``, before ``migrate``."""
    if via not in ("plan", "period"):
        raise ValueError(via)
    WATCHED[table] = via
EVENTS = ("INSERT", "UPDATE", "DELETE")
PREFIX = "cruscotto_data_token"


def _trigger_name(table: str, event: str) -> str:
    return f"{PREFIX}_{table}_{event.lower()}"


def _sqlite_statements(tables: set[str]) -> list[str]:
    out: list[str] = []
    new = "lower(hex(randomblob(16)))"
    for table, via in WATCHED.items():
        if table not in tables:
            continue
        for event in EVENTS:
            rows = {"INSERT": ["NEW"], "DELETE": ["OLD"], "UPDATE": ["NEW", "OLD"]}[event]
            if via == "period":
                refs = ", ".join(f"{r}.period_id" for r in rows)
                plans = f"SELECT plan_id FROM {PERIOD_TABLE} WHERE id IN ({refs})"
            else:
                plans = "SELECT " + " UNION SELECT ".join(f"{r}.plan_id" for r in rows)
            name = _trigger_name(table, event)
            out.append(f"DROP TRIGGER IF EXISTS {name}")
            out.append(
                f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW BEGIN "
                f"UPDATE {PLAN_TABLE} SET {COLUMN} = {new} "
                f"WHERE id IN ({plans}) OR previous_id IN ({plans}); END")
    return out


def _postgresql_statements(tables: set[str]) -> list[str]:
    out = [f"ALTER TABLE {PLAN_TABLE} ADD COLUMN IF NOT EXISTS {COLUMN} varchar(40) "
           "NOT NULL DEFAULT ''"]
    new = "md5(random()::text || clock_timestamp()::text || txid_current()::text)"
    for via in ("period", "plan"):
        if via == "period":
            plans = (f"SELECT p.plan_id FROM {PREFIX}_changed c "
                     f"JOIN {PERIOD_TABLE} p ON p.id = c.period_id")
        else:
            plans = f"SELECT c.plan_id FROM {PREFIX}_changed c"
        out.append(
            f"CREATE OR REPLACE FUNCTION {PREFIX}_via_{via}() RETURNS trigger "
            f"LANGUAGE plpgsql AS $$ BEGIN "
            f"UPDATE {PLAN_TABLE} SET {COLUMN} = {new} "
            f"WHERE id IN ({plans}) OR previous_id IN ({plans}); "
            f"RETURN NULL; END $$")
    for table, via in WATCHED.items():
        if table not in tables:
            continue
        for event in EVENTS:
            name = _trigger_name(table, event)
            rows = "OLD" if event == "DELETE" else "NEW"
            out.append(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            out.append(
                f"CREATE TRIGGER {name} AFTER {event} ON {table} "
                f"REFERENCING {rows} TABLE AS {PREFIX}_changed "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {PREFIX}_via_{via}()")
    return out


def _has_column(connection: Any) -> bool:
    with connection.cursor() as cursor:
        columns = connection.introspection.get_table_description(cursor, PLAN_TABLE)
    return any(c.name == COLUMN for c in columns)


def install(using: str = DEFAULT_DB_ALIAS) -> None:
    """Add the column and (re)create the triggers on database ``using``: idempotent."""
    connection = connections[using]
    tables = set(connection.introspection.table_names())
    if not {PLAN_TABLE, PERIOD_TABLE} <= tables:
        return  # not migrated that far yet (a table not there yet: the next migrate)
    vendor = connection.vendor
    if vendor == "sqlite":
        statements = _sqlite_statements(tables)
        if not _has_column(connection):
            statements.insert(0, f"ALTER TABLE {PLAN_TABLE} ADD COLUMN {COLUMN} "
                                 "varchar(40) NOT NULL DEFAULT ''")
    elif vendor == "postgresql":
        statements = _postgresql_statements(tables)
    else:  # pragma: no cover - the two databases Cruscotto supports
        raise NotImplementedError(f"no data token triggers for {vendor}")
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def uninstall(using: str = DEFAULT_DB_ALIAS) -> None:
    """Drop the triggers (migrating back before them); the column stays, unused."""
    connection = connections[using]
    tables = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for table in WATCHED:
            if table not in tables:
                continue
            for event in EVENTS:
                name = _trigger_name(table, event)
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}" + (
                    f" ON {table}" if connection.vendor == "postgresql" else ""))
        if connection.vendor == "postgresql":
            for via in ("period", "plan"):
                cursor.execute(f"DROP FUNCTION IF EXISTS {PREFIX}_via_{via}()")


def installed(using: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether the column and every trigger are there (a system check and the tests)."""
    connection = connections[using]
    if not _has_column(connection):
        return False
    tables = set(connection.introspection.table_names())
    names = {_trigger_name(t, e) for t in WATCHED if t in tables for e in EVENTS}
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute("SELECT DISTINCT trigger_name FROM information_schema.triggers")
        found = {r[0] for r in cursor.fetchall()}
    return names <= found


def read(plan_id: int, using: str = DEFAULT_DB_ALIAS) -> tuple[str, str] | None:
    """``(revision, data token)`` of a plan, one query; None if there is no such plan."""
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT revision, {COLUMN} FROM {PLAN_TABLE} WHERE id = %s",
                       [plan_id])
        row = cursor.fetchone()
    return (str(row[0]), str(row[1])) if row is not None else None


def on_post_migrate(sender: Any, *, using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    """``post_migrate``: put back what a migration that remade a table dropped."""
    install(using)
