"""Server-rendered pages, one module per area; each route declared with who may use it."""

from __future__ import annotations

from hague.web.access import Routes


def routers() -> list[Routes]:
    from hague.web.pages import account, admin, cases, documents, evidence, incidents, search, signin, statements

    return [signin.router, account.router, admin.router, cases.router, evidence.router, documents.router,
            statements.router, incidents.router, search.router]
