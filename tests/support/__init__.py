"""What tests share, imported from here (never from a conftest or another test module).

- snapshots: one compiled BrandBrain snapshot (`SNAPSHOT`), variations of it, and rows of it
- board: jobs, opportunities and evidence written directly, and each Today board state
- keys: well-formed keys the doubles accept, and connecting them to a user
- accounts: the test password and a signed-in session's server-side tokens
- urls: every URL pattern of the project, filled in with real objects
- pages: what any rendered page must never contain
- waiting: bounded polling (`wait_for`)
- pipeline: running a regeneration in-process, and looking at the raw database
- hostile: hostile input strategies and the checks every answer to it must pass
- fixtures: pytest fixtures every folder may use (registered in tests/conftest.py)
"""
