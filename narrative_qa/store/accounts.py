"""Accounts, server-side sessions, API tokens and sign-in limits, over the history store.

The web app reaches these tables only through `Accounts`' named methods (one query each).

The `narrative-qa users` commands and the web app share these functions. Passwords are
hashed with argon2 (argon2-cffi); a session cookie or an API token is a random value of
which only the sha256 is stored, so a copy of the database signs nobody in.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from narrative_qa.errors import ConfigError, Location
from narrative_qa.store import web_schema as tables
from narrative_qa.store.keys import owner_key

if TYPE_CHECKING:
    from narrative_qa.store.history import History

ROLES = ("officer", "reviewer", "admin")
_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("not a password anyone has")  # equal work for unknown names


@dataclass(frozen=True)
class User:
    id: int
    username: str
    role: str
    display_name: str
    owner_name: str | None
    services: tuple[str, ...]
    disabled: bool

    def owns(self, owner: str | None) -> bool:
        """An officer owns a KPI whose owner is their owner name (case and spaces aside)."""
        return bool(owner and self.owner_name) and _same(owner, self.owner_name)

    def reviews(self, service: str | None) -> bool:
        return bool(service) and any(_same(service, s) for s in self.services)


@dataclass(frozen=True)
class Session:
    id_hash: str
    user: User | None
    csrf_token: str
    last_seen_at: float


def _same(first: str, second: str | None) -> bool:
    return owner_key(first) == owner_key(second)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _user(row: sa.RowMapping) -> User:
    return User(row["id"], row["username"], row["role"], row["display_name"],
                row["owner_name"], tuple(json.loads(row["services"] or "[]")),
                bool(row["disabled"]))


class Accounts:
    """Users, sessions, tokens and sign-in attempts in the store's database."""

    def __init__(self, engine: sa.Engine, clock: Callable[[], float] = time.time):
        self.engine = engine
        self.clock = clock

    @classmethod
    def of(cls, history: History, clock: Callable[[], float] = time.time) -> Accounts:
        """The accounts kept in the history store's database."""
        return cls(history.engine, clock)

    # --- users ---------------------------------------------------------------------

    def add_user(self, username: str, password: str, role: str, *, display_name: str = "",
                 owner_name: str | None = None, services: list[str] | None = None) -> User:
        username = username.strip()
        if not username:
            raise ConfigError("NQE107", "the user name is empty", Location(column="username"))
        if role not in ROLES:
            raise ConfigError("NQE107", f"role '{role}' is not one of: {', '.join(ROLES)}",
                              Location(column="role"))
        _check_password(password)
        if self.get_user(username) is not None:
            raise ConfigError("NQE107", f"a user named '{username}' already exists",
                              Location(column="username"))
        values = {"username": username, "password_hash": _hasher.hash(password), "role": role,
                  "display_name": display_name.strip() or username,
                  "owner_name": (owner_name or "").strip() or None,
                  "services": json.dumps([s.strip() for s in services or [] if s.strip()]),
                  "disabled": False, "created_at": self.clock()}
        with self.engine.begin() as db:
            db.execute(tables.user.insert().values(**values))
        return self.require_user(username)

    def get_user(self, username: str) -> User | None:
        with self.engine.connect() as db:
            row = db.execute(sa.select(tables.user).where(
                tables.user.c.username == username.strip())).mappings().first()
        return _user(row) if row else None

    def require_user(self, username: str) -> User:
        found = self.get_user(username)
        if found is None:
            known = ", ".join(u.username for u in self.list_users()) or "none"
            raise ConfigError("NQE107", f"no user named '{username}'; the users are: {known}",
                              Location(column="username"))
        return found

    def list_users(self) -> list[User]:
        with self.engine.connect() as db:
            rows = db.execute(sa.select(tables.user).order_by(tables.user.c.username))
            return [_user(r) for r in rows.mappings()]

    def set_disabled(self, username: str, disabled: bool = True) -> User:
        found = self.require_user(username)
        with self.engine.begin() as db:
            db.execute(tables.user.update().where(tables.user.c.id == found.id)
                       .values(disabled=disabled))
            if disabled:  # signed out everywhere, tokens no longer work
                db.execute(tables.session.delete().where(tables.session.c.user_id == found.id))
                db.execute(tables.api_token.update().where(
                    tables.api_token.c.user_id == found.id,
                    tables.api_token.c.revoked_at.is_(None)).values(revoked_at=self.clock()))
        return self.require_user(username)

    def set_profile(self, username: str, *, owner_name: str | None = None,
                    services: list[str] | None = None) -> User:
        """Change whose KPIs an officer owns, or which services a reviewer reviews."""
        found = self.require_user(username)
        values: dict = {}
        if owner_name is not None:
            values["owner_name"] = owner_name.strip() or None
        if services is not None:
            values["services"] = json.dumps([s.strip() for s in services if s.strip()])
        if values:
            with self.engine.begin() as db:
                db.execute(tables.user.update().where(tables.user.c.id == found.id)
                           .values(**values))
        return self.require_user(username)

    def set_password(self, username: str, password: str) -> None:
        found = self.require_user(username)
        _check_password(password)
        with self.engine.begin() as db:
            db.execute(tables.user.update().where(tables.user.c.id == found.id)
                       .values(password_hash=_hasher.hash(password)))
            db.execute(tables.session.delete().where(tables.session.c.user_id == found.id))

    def verify(self, username: str, password: str) -> User | None:
        """The user when the password is right and the account enabled, else None."""
        with self.engine.connect() as db:
            row = db.execute(sa.select(tables.user).where(
                tables.user.c.username == username.strip())).mappings().first()
        stored = row["password_hash"] if row else _DUMMY_HASH
        try:
            _hasher.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return None
        if row is None or row["disabled"]:
            return None
        return _user(row)

    # --- sessions ------------------------------------------------------------------

    def start_session(self, user: User | None) -> tuple[str, Session]:
        """A new session (anonymous before sign-in); returns the cookie value and the row."""
        secret = secrets.token_urlsafe(32)
        now = self.clock()
        values = {"id_hash": _digest(secret), "user_id": user.id if user else None,
                  "csrf_token": secrets.token_urlsafe(32), "created_at": now,
                  "last_seen_at": now}
        with self.engine.begin() as db:
            db.execute(tables.session.insert().values(**values))
        return secret, Session(values["id_hash"], user, values["csrf_token"], now)

    def get_session(self, secret: str | None, idle_seconds: float,
                    touch_after: float = 60.0) -> Session | None:
        """The live session for a cookie value; an idle one is deleted and None returned.
        last_seen_at is written at most every `touch_after` seconds."""
        if not secret:
            return None
        id_hash, now = _digest(secret), self.clock()
        query = sa.select(tables.session, tables.user).outerjoin(
            tables.user, tables.session.c.user_id == tables.user.c.id).where(
            tables.session.c.id_hash == id_hash)
        with self.engine.connect() as db:
            row = db.execute(query).mappings().first()
        if row is None:
            return None
        if now - row["last_seen_at"] > idle_seconds or (row["user_id"] and row["disabled"]):
            self.end_session(secret)
            return None
        if now - row["last_seen_at"] > touch_after:
            with self.engine.begin() as db:
                db.execute(tables.session.update().where(tables.session.c.id_hash == id_hash)
                           .values(last_seen_at=now))
        user = _user({**row, "id": row["user_id"]}) if row["user_id"] else None
        return Session(id_hash, user, row["csrf_token"], now)

    def end_session(self, secret: str | None) -> None:
        if secret:
            with self.engine.begin() as db:
                db.execute(tables.session.delete().where(
                    tables.session.c.id_hash == _digest(secret)))

    def purge_sessions(self, idle_seconds: float) -> int:
        with self.engine.begin() as db:
            return db.execute(tables.session.delete().where(
                tables.session.c.last_seen_at < self.clock() - idle_seconds)).rowcount

    # --- sign-in limits ------------------------------------------------------------

    def failures(self, kind: str, key: str, window_seconds: float) -> int:
        table = tables.login_attempt
        with self.engine.connect() as db:
            return db.execute(sa.select(sa.func.count()).select_from(table).where(
                table.c.kind == kind, table.c.key == key[:200],
                table.c.at >= self.clock() - window_seconds)).scalar_one()

    def record_failure(self, username: str, client: str) -> None:
        now, table = self.clock(), tables.login_attempt
        name = username.strip().casefold()[:200]
        with self.engine.begin() as db:
            db.execute(table.insert(), [
                {"kind": "user", "key": name, "at": now},
                {"kind": "client", "key": client[:200], "at": now},
                {"kind": "pair", "key": pair_key(username, client), "at": now}])

    def clear_failures(self, username: str, window_seconds: float) -> None:
        self.unlock(username)
        table = tables.login_attempt
        with self.engine.begin() as db:
            db.execute(table.delete().where(table.c.at < self.clock() - window_seconds))

    def unlock(self, username: str) -> int:
        """Forget a user's failed sign-ins (from every client): an admin's unlock."""
        table, name = tables.login_attempt, username.strip().casefold()[:200]
        with self.engine.begin() as db:
            gone = db.execute(table.delete().where(table.c.kind == "user",
                                                   table.c.key == name)).rowcount
            db.execute(table.delete().where(table.c.kind == "pair",
                                            table.c.key.endswith(f"\t{name}"[:200],
                                                                 autoescape=True)))
        return gone

    # --- API tokens (issued and revoked by an admin) ---------------------------------

    def issue_token(self, username: str, label: str) -> str:
        """A new token for the user; the value is shown once and only its hash is kept."""
        found = self.require_user(username)
        secret = "nq_" + secrets.token_urlsafe(32)
        with self.engine.begin() as db:
            db.execute(tables.api_token.insert().values(
                token_hash=_digest(secret), user_id=found.id, label=label.strip() or "token",
                created_at=self.clock(), revoked_at=None))
        return secret

    def revoke_token(self, token_id: int) -> bool:
        with self.engine.begin() as db:
            return db.execute(tables.api_token.update().where(
                tables.api_token.c.id == token_id, tables.api_token.c.revoked_at.is_(None))
                .values(revoked_at=self.clock())).rowcount > 0

    def list_tokens(self) -> list[dict]:
        query = sa.select(tables.api_token.c.id, tables.api_token.c.label,
                          tables.api_token.c.created_at, tables.api_token.c.revoked_at,
                          tables.user.c.username).join(
            tables.user, tables.api_token.c.user_id == tables.user.c.id).order_by(
            tables.api_token.c.id)
        with self.engine.connect() as db:
            return [dict(r) for r in db.execute(query).mappings()]

    def token_user(self, secret: str) -> User | None:
        """The enabled user a live token belongs to, else None."""
        query = sa.select(tables.user).join(
            tables.api_token, tables.api_token.c.user_id == tables.user.c.id).where(
            tables.api_token.c.token_hash == _digest(secret),
            tables.api_token.c.revoked_at.is_(None), tables.user.c.disabled.is_(False))
        with self.engine.connect() as db:
            row = db.execute(query).mappings().first()
        return _user(row) if row else None


def pair_key(username: str, client: str) -> str:
    """One user name from one client address: what the per-user pause counts, so failures
    from elsewhere cannot lock an officer out of their own account."""
    return f"{client[:100]}\t{username.strip().casefold()[:99]}"


MIN_PASSWORD_CHARS = 10


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_CHARS:
        raise ConfigError("NQE107", f"the password is shorter than {MIN_PASSWORD_CHARS} "
                          "characters",
                          Location(column="password"))
