"""Server-rendered pages, one module per area; each route declared with who may use it."""

from __future__ import annotations

from hague.web.access import Routes


def routers() -> list[Routes]:
    from hague.web.pages import (
        account,
        admin,
        capture,
        cases,
        curation,
        documents,
        evidence,
        incidents,
        search,
        share,
        signin,
        statements,
    )

    return [signin.router, account.router, admin.router, cases.router, evidence.router, documents.router,
            statements.router, incidents.router, search.router, curation.router, capture.router,
            share.router]
