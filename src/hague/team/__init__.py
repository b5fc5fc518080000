"""The team: accounts, passwords, second factors, sessions, login throttling, API tokens, cases and roles.

Every function takes the acting person explicitly and every change is a custody-ledger entry under that
person's account name; the web and the CLI call the same functions. Secrets are kept only as hashes.
"""
