"""Running the web workspace: uvicorn on a workspace, with the first-run path when no administrator exists."""

from __future__ import annotations

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


def serve(ws: Workspace, host: str, port: int, *, secure_cookies: bool, proxy_headers: bool,
          say: Callable[[str], None]) -> None:
    import uvicorn

    from hague.web.app import create_app

    token = secrets.token_urlsafe(24)
    app = create_app(ws, secure_cookies=secure_cookies, setup_token=token)
    hint = first_run_hint(ws, host, port, token)
    if hint:
        say(hint)
    say(f"Hague web workspace on http://{host}:{port}/  (workspace {ws.config.home}; Ctrl-C stops)")
    uvicorn.run(app, host=host, port=port, proxy_headers=proxy_headers, forwarded_allow_ips="127.0.0.1",
                log_level="warning", server_header=False, date_header=True)
