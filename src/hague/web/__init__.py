"""The web workspace (`hague serve`): server-rendered pages and the JSON API over one workspace.

A thin front end: pages and API call the same functions as the CLI (accounts and cases in
:mod:`hague.team`, evidence and analysis in the phases); every route declares who may use it
(:mod:`hague.web.access`).
"""
