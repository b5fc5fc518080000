"""Server-rendered pages, one module per area; each route declared with who may use it."""

from __future__ import annotations

from hague.web.access import Routes


def routers() -> list[Routes]:
    from hague.web.pages import account, admin, cases, signin

    return [signin.router, account.router, admin.router, cases.router]
