"""The history store and the web app's tables, behind named functions.

The rest of the package, the web app above all, reaches the store only through the public
names of the modules in PUBLIC: no SQL, no tables, no engine. `schema`, `web_schema`,
`keys` and the migrations are the store's own (tests/test_architecture.py checks it).
"""

PUBLIC = ("history", "accounts", "uploads", "windows", "forecasts")
