"""Running the web workspace: uvicorn on a workspace, with the first-run path when no administrator exists."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable

from hague.team import accounts
from hague.workspace import Workspace


def first_run_hint(ws: Workspace, host: str, port: int, setup_token: str) -> str | None:
    """What to tell the operator when nobody can sign in yet."""
    with ws.read() as s:
        if accounts.admin_exists(s):
            return None
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    return ("No administrator yet. Either run `hague user add NAME --role admin`, or open this one-time link "
            f"to create one in the browser:\n  http://{shown}:{port}/setup?token={setup_token}")


_TOKEN_ENV = "HAGUE_SETUP_TOKEN"  # hands the one-time set-up token to worker processes
_SECURE_ENV = "HAGUE_SECURE_COOKIES"


def app_from_environment():  # type: ignore[no-untyped-def]
    """The application for one worker process of ``hague serve --workers N`` (uvicorn imports this)."""
    from hague.web.app import create_app
    from hague.workspace import open_workspace

    return create_app(open_workspace(), secure_cookies=os.environ.get(_SECURE_ENV) == "1",
                      setup_token=os.environ.get(_TOKEN_ENV))


def serve(ws: Workspace, host: str, port: int, *, secure_cookies: bool, proxy_headers: bool, workers: int,
          say: Callable[[str], None]) -> None:
    """Serve until interrupted: one process, or ``workers`` processes sharing the port (each a Python
    interpreter of its own, so pages render on every core)."""
    import uvicorn

    from hague.web.app import create_app

    token = secrets.token_urlsafe(24)
    hint = first_run_hint(ws, host, port, token)
    if hint:
        say(hint)
    say(f"Hague web workspace on http://{host}:{port}/  (workspace {ws.config.home}; Ctrl-C stops)")
    options = {"host": host, "port": port, "proxy_headers": proxy_headers, "forwarded_allow_ips": "127.0.0.1",
               "log_level": "warning", "server_header": False, "date_header": True}
    if workers > 1:
        os.environ[_TOKEN_ENV], os.environ[_SECURE_ENV] = token, "1" if secure_cookies else "0"
        uvicorn.run("hague.web.server:app_from_environment", factory=True, workers=workers, **options)
        return
    uvicorn.run(create_app(ws, secure_cookies=secure_cookies, setup_token=token), **options)
