"""Backup and restore of a whole Cruscotto database, in one archive file.

The archive is a zip file::

    manifest.json                   format, versions, creation time, row counts, hashes
    tables/<app>.<model>.jsonl      one table: a header line (its columns), then a row a line
    files/<storage name>            the evidence files, as stored

What goes in:

- every table of Cruscotto's own apps (every installed app whose module is under
  ``cruscotto.``), discovered from the app registry, so a model or field added
  later is included without touching this module: plans, periods, values, their
  append-only versions, target revisions, the audit trail, roles and centre
  memberships;
- the users (name, e-mail, flags, dates) **without any secret**: no password
  hashes, sessions or tokens. Restored users get an unusable password and must
  set a new one (``cruscotto changepassword USER`` or the password reset);
- the groups, and the groups and permissions of each user (permissions by their
  natural key, ``app_label.codename``);
- every file a ``FileField`` of those tables names, read through its storage.

Each table is written as canonical JSON lines (fixed column order, rows ordered
by primary key, decimals without trailing zeros, times in UTC), so the same data
gives the same bytes on SQLite and PostgreSQL: the SHA-256 of those bytes is the
table's **content hash**. :func:`content_hashes` computes the same hashes from a
live database, which is how a round trip (or a killed import) is checked.

A restore goes into an empty, migrated database only. It validates the whole
archive first (format, the hash of every table and file, the whole-archive hash,
columns matching this database's schema) and then inserts everything in one
transaction, keeping primary keys and timestamps: it inserts only, so the
append-only tables (versions, audit) are never updated. Anything wrong and
nothing is written.

The hashes detect corruption and accidental edits; they are not a signature
(whoever can rewrite the archive can rewrite its manifest): keep backups where
only the administrators can write.
"""

from __future__ import annotations

import base64
import datetime
import decimal
import hashlib
import json
import os
import uuid
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.utils import OperationalError, ProgrammingError

from cruscotto.version import app_version

FORMAT = "cruscotto-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
#: columns of the user table never written to an archive
USER_SECRETS = frozenset({"password"})


#: who may read a backup archive: its owner only
BACKUP_MODE = 0o600


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


# -- what is backed up -------------------------------------------------------------------

def own_models() -> list[type[models.Model]]:
    """The concrete models of Cruscotto's own apps, in registry order."""
    out: list[type[models.Model]] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("cruscotto."):
            continue
        for model in config.get_models(include_auto_created=True):
            meta = model._meta
            if meta.abstract or meta.proxy or not meta.managed:
                continue
            if getattr(model, "NOT_BACKED_UP", False):  # derived data, recomputed
                continue
            out.append(model)
    return out


def _label(model: type[models.Model]) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


@dataclass
class _Table:
    name: str
    columns: list[str]
    rows: Any  # a callable giving the rows, each a list in column order
    model: type[models.Model] | None = None
    fields: list[models.Field[Any, Any]] = field(default_factory=list)


def _model_table(model: type[models.Model], *, skip: frozenset[str] = frozenset()) -> _Table:
    fields = [f for f in model._meta.concrete_fields if f.attname not in skip]
    columns = [f.attname for f in fields]

    def rows() -> Iterator[list[Any]]:
        qs = model._base_manager.order_by("pk").values_list(*columns)
        for row in qs.iterator(chunk_size=2000):
            yield [_encode(f, v) for f, v in zip(fields, row, strict=True)]

    return _Table(_label(model), columns, rows, model, fields)


def _tables() -> list[_Table]:
    user_model = get_user_model()
    known = {user_model, Group, *own_models()}
    for model in own_models():
        for f in model._meta.concrete_fields:
            target = f.related_model
            if f.is_relation and target is not None and target not in known:
                raise BackupError(
                    f"{_label(model)}.{f.name} refers to {target._meta.label}, which a backup "
                    "does not carry: extend cruscotto.web.backup for it")

    def group_perms() -> Iterator[list[Any]]:
        through = Group.permissions.through
        qs = through.objects.order_by("group_id", "permission__content_type__app_label",
                                      "permission__codename").values_list(
            "group_id", "permission__content_type__app_label", "permission__codename")
        yield from (list(r) for r in qs)

    def user_groups() -> Iterator[list[Any]]:
        through = user_model.groups.through  # type: ignore[attr-defined]
        qs = through.objects.values_list(_fk_name(through, user_model), "group_id")
        yield from sorted(list(r) for r in qs)

    def user_perms() -> Iterator[list[Any]]:
        through = user_model.user_permissions.through  # type: ignore[attr-defined]
        qs = through.objects.values_list(
            _fk_name(through, user_model), "permission__content_type__app_label",
            "permission__codename")
        yield from sorted(list(r) for r in qs)

    return [
        _model_table(Group),
        _Table("auth.group_permissions", ["group_id", "app_label", "codename"], group_perms),
        _model_table(user_model, skip=USER_SECRETS),
        _Table("auth.user_groups", ["user_id", "group_id"], user_groups),
        _Table("auth.user_permissions", ["user_id", "app_label", "codename"], user_perms),
        *(_model_table(m) for m in own_models()),
    ]


def _fk_name(through: type[models.Model], model: type[models.Model]) -> str:
    for f in through._meta.concrete_fields:
        if f.is_relation and f.related_model is model:
            return f.attname
    raise BackupError(f"{through._meta.label} has no key to {model._meta.label}")


# -- canonical encoding ----------------------------------------------------------------------

def _encode(f: models.Field[Any, Any], value: Any) -> Any:
    if value is None:
        return None
    if isinstance(f, models.JSONField):
        return value
    if isinstance(value, bool | int | str):
        return value
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f") if value.is_finite() else str(value)
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.UTC)
        return value.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, datetime.timedelta):
        return value.total_seconds()
    return str(value)


def _decode(f: models.Field[Any, Any], value: Any) -> Any:
    if value is None or isinstance(f, models.JSONField):
        return value
    if isinstance(f, models.BinaryField):
        return base64.b64decode(value)
    if isinstance(f, models.DurationField):
        return datetime.timedelta(seconds=value)
    if isinstance(f, models.FloatField):
        return float(value)
    if isinstance(f, models.DateTimeField):
        return datetime.datetime.fromisoformat(value)
    if isinstance(f, models.FileField):
        return value
    return f.to_python(value)


def _line(row: list[Any]) -> bytes:
    return json.dumps(row, ensure_ascii=False, sort_keys=True,
                      separators=(",", ":")).encode("utf-8") + b"\n"


def _table_bytes(table: _Table) -> Iterator[bytes]:
    yield _line(table.columns)
    for row in table.rows():
        yield _line(row)


def _whole_hash(tables: dict[str, str], files: dict[str, str]) -> str:
    text = json.dumps({"tables": tables, "files": files}, sort_keys=True,
                      separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _file_fields(model: type[models.Model]) -> list[models.FileField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


def _stored_files() -> list[tuple[str, Any]]:
    """(name, storage) of every file a FileField of the own tables names."""
    out: dict[str, Any] = {}
    for model in own_models():
        for f in _file_fields(model):
            names = (model._base_manager.exclude(**{f.attname: ""})
                     .exclude(**{f"{f.attname}__isnull": True})
                     .values_list(f.attname, flat=True))
            for name in names:
                out.setdefault(name, f.storage)
    return sorted(out.items())


# -- hashes of a live database ------------------------------------------------------------------

def content_hashes(using: str = DEFAULT_DB_ALIAS) -> dict[str, Any]:
    """The content hash of every table and evidence file, and of the whole.

    The same figures a backup of this database records in its manifest
    (``{"tables": {name: sha256}, "files": {name: sha256}, "sha256": whole}``).
    """
    with transaction.atomic(using=using):
        _snapshot(using)
        tables = {}
        for t in _tables():
            h = hashlib.sha256()
            for chunk in _table_bytes(t):
                h.update(chunk)
            tables[t.name] = h.hexdigest()
        files = {}
        for name, storage in _stored_files():
            try:
                with storage.open(name, "rb") as fh:
                    files[name] = hashlib.sha256(fh.read()).hexdigest()
            except FileNotFoundError:
                files[name] = "missing"
    return {"tables": tables, "files": files, "sha256": _whole_hash(tables, files)}


def _snapshot(using: str) -> None:
    """One consistent view of every table for the rest of the transaction."""
    conn = connections[using]
    if conn.vendor == "postgresql":
        with conn.cursor() as cur:
            cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")


# -- backup ---------------------------------------------------------------------------------

@dataclass
class BackupSummary:
    path: Path
    rows: dict[str, int]
    files: int
    missing_files: list[str]
    sha256: str


def backup(path: str | Path, *, using: str = DEFAULT_DB_ALIAS) -> BackupSummary:
    """Write the whole database (and its evidence files) to the archive ``path``."""
    path = Path(path)
    tmp = path.with_name(path.name + ".partial")
    _require_tables(using)
    manifest: dict[str, Any] = {
        "format": FORMAT, "format_version": FORMAT_VERSION, "app_version": app_version(),
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "database": connections[using].vendor,
        "tables": {}, "files": {}, "missing_files": [],
    }
    # the archive holds every person's data and password hashes: readable by its owner
    # only (0600), whatever the umask; created so, never widened then narrowed
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, BACKUP_MODE)
    os.fchmod(fd, BACKUP_MODE)
    try:
        with os.fdopen(fd, "wb") as raw, transaction.atomic(using=using), zipfile.ZipFile(
                raw, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            _snapshot(using)
            for t in _tables():
                h, count = hashlib.sha256(), -1
                with zf.open(f"tables/{t.name}.jsonl", "w") as out:
                    for chunk in _table_bytes(t):
                        h.update(chunk)
                        out.write(chunk)
                        count += 1
                manifest["tables"][t.name] = {"rows": count, "columns": t.columns,
                                              "sha256": h.hexdigest()}
            for name, storage in _stored_files():
                try:
                    with storage.open(name, "rb") as fh:
                        data = fh.read()
                except FileNotFoundError:
                    manifest["missing_files"].append(name)
                    continue
                zf.writestr(f"files/{name}", data)
                manifest["files"][name] = {"size": len(data),
                                           "sha256": hashlib.sha256(data).hexdigest()}
            manifest["sha256"] = _whole_hash(
                {n: t["sha256"] for n, t in manifest["tables"].items()},
                {n: f["sha256"] for n, f in manifest["files"].items()})
            zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return BackupSummary(path, {n: t["rows"] for n, t in manifest["tables"].items()},
                         len(manifest["files"]), manifest["missing_files"], manifest["sha256"])


def _require_tables(using: str) -> None:
    try:
        tables = set(connections[using].introspection.table_names())
    except OperationalError as exc:
        raise BackupError(f"cannot open the database: {exc}") from None
    missing = [m._meta.db_table for m in [get_user_model(), *own_models()]
               if m._meta.db_table not in tables]
    if missing:
        raise BackupError("the database has no tables yet (" + ", ".join(missing[:3])
                          + "...): run `cruscotto migrate` first")


# -- restore --------------------------------------------------------------------------------

@dataclass
class RestoreSummary:
    rows: dict[str, int]
    files: int
    users: int
    sha256: str


def _read_archive(path: Path) -> tuple[dict[str, Any], dict[str, list[list[Any]]],
                                       dict[str, bytes]]:
    """The manifest, the rows of every table and the files, all checked."""
    where = str(path)
    try:
        zf = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise BackupError(f"{where}: no such file") from None
    except (zipfile.BadZipFile, OSError) as exc:
        raise BackupError(f"{where}: not a Cruscotto backup (not a readable zip file: "
                          f"{exc})") from None
    with zf:
        try:
            manifest = json.loads(zf.read(MANIFEST))
        except KeyError:
            raise BackupError(f"{where}: not a Cruscotto backup (no {MANIFEST})") from None
        except (ValueError, zipfile.BadZipFile, OSError) as exc:
            raise BackupError(f"{where}: {MANIFEST} is damaged: {exc}") from None
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise BackupError(f"{where}: {MANIFEST}: field 'format': expected {FORMAT!r}")
        if manifest.get("format_version") != FORMAT_VERSION:
            raise BackupError(
                f"{where}: {MANIFEST}: field 'format_version' is "
                f"{manifest.get('format_version')!r}; this Cruscotto reads version "
                f"{FORMAT_VERSION}")
        for key in ("tables", "files"):
            if not isinstance(manifest.get(key), dict):
                raise BackupError(f"{where}: {MANIFEST}: field {key!r}: expected an object")
        tables: dict[str, list[list[Any]]] = {}
        for key in ("tables", "files"):
            for name, info in manifest[key].items():
                if not isinstance(info, dict) or not isinstance(info.get("sha256"), str):
                    raise BackupError(f"{where}: {MANIFEST}: field {key!r}, entry {name!r}: "
                                      "expected an object with a 'sha256' text")
        for name, info in manifest["tables"].items():
            member = f"tables/{name}.jsonl"
            data = _member(zf, member, where)
            if hashlib.sha256(data).hexdigest() != info.get("sha256"):
                raise BackupError(f"{where}: {member}: content hash does not match the "
                                  "manifest (the archive is damaged or was altered)")
            try:
                lines = data.decode("utf-8").splitlines()
            except UnicodeDecodeError as exc:
                raise BackupError(f"{where}: {member}: not UTF-8 text (byte {exc.start})"
                                  ) from None
            rows = []
            for n, line in enumerate(lines, start=1):
                try:
                    row = json.loads(line)
                except ValueError as exc:
                    raise BackupError(f"{where}: {member}, line {n}: not a JSON line: {exc}"
                                      ) from None
                if not isinstance(row, list):
                    raise BackupError(f"{where}: {member}, line {n}: expected a JSON list")
                rows.append(row)
            if not rows or rows[0] != info.get("columns"):
                raise BackupError(f"{where}: {member}, line 1: expected the columns "
                                  f"{info.get('columns')}")
            if len(rows) - 1 != info.get("rows"):
                raise BackupError(f"{where}: {member}: {len(rows) - 1} rows; the manifest "
                                  f"says {info.get('rows')}")
            tables[name] = rows
        files: dict[str, bytes] = {}
        for name, info in manifest["files"].items():
            member = f"files/{name}"
            data = _member(zf, member, where)
            if hashlib.sha256(data).hexdigest() != info.get("sha256"):
                raise BackupError(f"{where}: {member}: content hash does not match the "
                                  "manifest (the archive is damaged or was altered)")
            files[name] = data
    whole = _whole_hash({n: t["sha256"] for n, t in manifest["tables"].items()},
                        {n: f["sha256"] for n, f in manifest["files"].items()})
    if whole != manifest.get("sha256"):
        raise BackupError(f"{where}: {MANIFEST}: field 'sha256' does not match the hashes "
                          "of the tables and files (the archive was altered)")
    return manifest, tables, files


def _member(zf: zipfile.ZipFile, member: str, where: str) -> bytes:
    try:
        return zf.read(member)
    except KeyError:
        raise BackupError(f"{where}: {member} is missing (named in {MANIFEST})") from None
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        # a CRC error: the bytes of the member were changed
        raise BackupError(f"{where}: {member} is damaged: {exc}") from None


def _check_empty(using: str) -> None:
    _require_tables(using)
    busy = []
    for model in [get_user_model(), Group, *own_models()]:
        try:
            if model._base_manager.using(using).exists():
                busy.append(model._meta.db_table)
        except (OperationalError, ProgrammingError) as exc:
            raise BackupError(f"cannot read {model._meta.db_table}: {exc}; "
                              "run `cruscotto migrate` first") from None
    if busy:
        raise BackupError(
            "restore goes into an empty database only, and this one holds data ("
            + ", ".join(busy[:5]) + (", ..." if len(busy) > 5 else "")
            + "): create a new database, run `cruscotto migrate`, then restore")


def restore(path: str | Path, *, using: str = DEFAULT_DB_ALIAS) -> RestoreSummary:
    """Restore the archive ``path`` into this empty database, all or nothing."""
    path = Path(path)
    manifest, rows, files = _read_archive(path)
    tables = {t.name: t for t in _tables()}
    unknown = sorted(set(rows) - set(tables))
    if unknown:
        raise BackupError(f"{path}: tables this Cruscotto does not have: {', '.join(unknown)}"
                          " (the archive comes from a newer version)")
    for name, t in tables.items():
        if name in rows and rows[name][0] != t.columns:
            raise BackupError(
                f"{path}: tables/{name}.jsonl, line 1: columns {rows[name][0]}; this "
                f"database has {t.columns} (the archive comes from another version: restore "
                "it with that version, then upgrade with `cruscotto migrate`)")
    _check_empty(using)
    conn = connections[using]
    written: list[tuple[Any, str]] = []
    try:
        with transaction.atomic(using=using):
            perms = {(ct, code): pk for pk, ct, code in Permission.objects.using(using)
                     .values_list("pk", "content_type__app_label", "codename")}
            inserted: list[type[models.Model]] = []
            for name, t in tables.items():
                data = rows.get(name, [[]])[1:]
                if t.model is not None:
                    _insert(t, data, name, using)
                    if data:
                        inserted.append(t.model)
                else:
                    _insert_links(name, data, perms, using)
            if conn.vendor != "sqlite":
                with conn.cursor() as cur:
                    for sql in conn.ops.sequence_reset_sql(no_style(), inserted):
                        cur.execute(sql)
            storages = dict(_stored_files_for(using))
            for name, data in files.items():
                storage = storages.get(name)
                if storage is None:
                    raise BackupError(f"{path}: files/{name}: no row names this file")
                written.append((storage, _put(storage, name, data)))
    except BackupError:
        _remove(written)
        raise
    except Exception as exc:
        _remove(written)
        raise BackupError(f"{path}: nothing restored: {type(exc).__name__}: {exc}") from exc
    return RestoreSummary({n: len(r) - 1 for n, r in rows.items()}, len(files),
                          len(rows.get(_label(get_user_model()), [[]])) - 1,
                          manifest["sha256"])


def _insert(t: _Table, data: list[list[Any]], name: str, using: str) -> None:
    assert t.model is not None
    model, fields = t.model, t.fields
    objs = []
    for n, row in enumerate(data, start=2):
        try:
            objs.append(model(**{f.attname: _decode(f, v)
                                 for f, v in zip(fields, row, strict=True)}))
        except Exception as exc:
            raise BackupError(f"tables/{name}.jsonl, line {n}: {exc}") from None
    if not objs:
        return
    insert_fields = fields
    if model is get_user_model():
        for o in objs:
            o.password = make_password(None)  # type: ignore[attr-defined]
        insert_fields = [*fields, model._meta.get_field("password")]
    ops = connections[using].ops
    size = max(1, ops.bulk_batch_size(insert_fields, objs) or len(objs))
    for start in range(0, len(objs), size):
        # raw: as loaddata does, no auto_now/auto_now_add, no save() (append-only rows
        # are inserted, never updated), the primary keys and timestamps as stored
        model._base_manager.using(using)._insert(  # type: ignore[attr-defined]
            objs[start:start + size], fields=insert_fields, using=using, raw=True)


def _insert_links(name: str, data: list[list[Any]], perms: dict[tuple[str, str], int],
                  using: str) -> None:
    user_model = get_user_model()

    def perm(n: int, app_label: str, codename: str) -> int:
        try:
            return perms[(app_label, codename)]
        except KeyError:
            raise BackupError(f"tables/{name}.jsonl, line {n}: no permission "
                              f"{app_label}.{codename} in this database") from None

    if name == "auth.group_permissions":
        through = Group.permissions.through
        through._base_manager.using(using).bulk_create(
            [through(group_id=g, permission_id=perm(n, a, c))
             for n, (g, a, c) in enumerate(data, start=2)])
    elif name == "auth.user_groups":
        through = user_model.groups.through  # type: ignore[attr-defined]
        key = _fk_name(through, user_model)
        through._base_manager.using(using).bulk_create(
            [through(**{key: u, "group_id": g}) for u, g in data])
    elif name == "auth.user_permissions":
        through = user_model.user_permissions.through  # type: ignore[attr-defined]
        key = _fk_name(through, user_model)
        through._base_manager.using(using).bulk_create(
            [through(**{key: u, "permission_id": perm(n, a, c)})
             for n, (u, a, c) in enumerate(data, start=2)])


def _stored_files_for(using: str) -> Iterable[tuple[str, Any]]:
    out: dict[str, Any] = {}
    for model in own_models():
        for f in _file_fields(model):
            for name in (model._base_manager.using(using).exclude(**{f.attname: ""})
                         .values_list(f.attname, flat=True)):
                if name:
                    out.setdefault(name, f.storage)
    return out.items()


def _put(storage: Any, name: str, data: bytes) -> str:
    if storage.exists(name):
        with storage.open(name, "rb") as fh:
            if fh.read() == data:
                return ""  # already there, as it was: nothing to undo
        raise BackupError(f"the storage already holds a different file {name}: "
                          "restore into an empty storage (MEDIA_ROOT)")
    saved = storage.save(name, ContentFile(data))
    if saved != name:
        storage.delete(saved)
        raise BackupError(f"the storage renamed {name} to {saved}")
    return str(saved)


def _remove(written: list[tuple[Any, str]]) -> None:
    for storage, name in written:
        if name:
            storage.delete(name)
