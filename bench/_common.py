"""What the benchmarks share: signing people in by writing their sessions, the loopback check."""

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def session_for(user) -> str:
    """A database session for ``user``, two-factor step marked done (signing in is not what is
    measured); returns its key, to send as the ``sessionid`` cookie. Needs Django set up."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session.update(
        {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
            HASH_SESSION_KEY: user.get_session_auth_hash(),
            "ent_mfa_ok": True,
        }
    )
    session.create()
    return session.session_key
