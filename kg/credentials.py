"""How `kg load` authenticates to a store: the scheme, and the user and secret read from the
environment or asked at a prompt, never from the command line."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

from kg.errors import StoreError

AUTH_SCHEMES = ("basic", "digest", "bearer")


@dataclass
class Credentials:
    """How to authenticate; the secret is never printed, logged or put in a message."""

    scheme: str | None = None  # None, "basic", "digest" or "bearer"
    user: str | None = None
    secret: str | None = field(default=None, repr=False)

    def httpx_auth(self):
        if self.scheme == "basic":
            return httpx.BasicAuth(self.user or "", self.secret or "")
        if self.scheme == "digest":
            return httpx.DigestAuth(self.user or "", self.secret or "")
        return None

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.secret}"} if self.scheme == "bearer" else {}


def credentials_from_env(scheme: str | None, prompt: Callable[[str, bool], str] | None = None,
                         env: dict[str, str] | None = None) -> Credentials:
    """Credentials from KG_STORE_USER / KG_STORE_PASSWORD / KG_STORE_TOKEN, or a prompt."""
    env = os.environ if env is None else env
    if not scheme:
        return Credentials()
    if scheme == "bearer":
        token = env.get("KG_STORE_TOKEN") or (prompt("Token", True) if prompt else None)
        if not token:
            raise StoreError("--auth bearer needs a token in KG_STORE_TOKEN")
        return Credentials("bearer", None, token)
    user = env.get("KG_STORE_USER") or (prompt("User", False) if prompt else None)
    password = env.get("KG_STORE_PASSWORD") or (prompt("Password", True) if prompt else None)
    if not user or password is None:
        raise StoreError(f"--auth {scheme} needs KG_STORE_USER and KG_STORE_PASSWORD")
    return Credentials(scheme, user, password)
