"""Officer passwords, sessions and CSRF tokens, from the standard library only.

Passwords are scrypt hashes (`scrypt$n$r$p$salt$hash`). A session is a random
cookie whose sha256 the store keeps; its CSRF token is stored beside it. Visitors
without a session get a `zc_csrf` cookie and forms carry an HMAC of it, so a
cross-site page can neither read nor forge the pair.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from fastapi import Request

from zhengce.web.store import Session, WebStore

SESSION_COOKIE = "zc_session"
CSRF_COOKIE = "zc_csrf"
SESSION_TTL = 8 * 3600.0
# scrypt at n=2**14 takes ~40 ms here: slow for a guesser, unnoticed at login.
_N, _R, _P = 2 ** 14, 8, 1


def hash_password(password: str) -> str:
    """A salted scrypt hash to store.

    >>> verify_password("s3cret", hash_password("s3cret")), verify_password("x", hash_password("s3cret"))
    (True, False)
    """
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return "$".join(["scrypt", str(_N), str(_R), str(_P), _b64(salt), _b64(digest)])


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        got = hashlib.scrypt(password.encode(), salt=_unb64(salt), n=int(n), r=int(r), p=int(p),
                             dklen=len(_unb64(digest)))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, _unb64(digest))


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


# A hash to check wrong names against, so a missing officer costs as much time as a wrong password.
DUMMY_HASH = hash_password(secrets.token_hex(8))


def current_session(request: Request) -> Session | None:
    """The officer session of this request, looked up once."""
    if hasattr(request.state, "session"):
        return request.state.session  # type: ignore[no-any-return]
    token = request.cookies.get(SESSION_COOKIE)
    store: WebStore = request.app.state.store
    session = store.session(token) if token and len(token) < 200 else None
    request.state.session = session
    return session


def csrf_token(request: Request) -> str:
    """The token forms on this page carry (minting the visitor's cookie when missing)."""
    session = current_session(request)
    if session is not None:
        return session.csrf
    seed = request.cookies.get(CSRF_COOKIE)
    if not seed or len(seed) > 100:
        seed = getattr(request.state, "new_csrf", None) or secrets.token_urlsafe(24)
        request.state.new_csrf = seed  # the page response sets the cookie
    return _sign(request, seed)


def check_csrf(request: Request, token: str | None) -> bool:
    if not token:
        return False
    session = current_session(request)
    if session is not None and same(token, session.csrf):
        return True
    seed = request.cookies.get(CSRF_COOKIE)
    return bool(seed) and same(token, _sign(request, seed or ""))


def same(given: str, expected: str) -> bool:
    """Constant-time equality that takes any text (hmac refuses non-ASCII str)."""
    return hmac.compare_digest(given.encode("utf-8", "replace"), expected.encode("utf-8", "replace"))


def _sign(request: Request, seed: str) -> str:
    secret: str = request.app.state.secret
    return hmac.new(secret.encode(), seed.encode(), hashlib.sha256).hexdigest()
