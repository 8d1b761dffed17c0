"""The session engine (``SESSION_ENGINE = "accounts.sessions.db"``): see accounts.sessions."""

from accounts.sessions import SessionStore

__all__ = ["SessionStore"]
