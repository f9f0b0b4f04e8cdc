"""Alembic environment: migrates the connection that :func:`formengine.storage.upgrade` passes.

Used only from code (no ``alembic.ini``); offline (SQL script) mode is not supported.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from formengine.storage.tables import metadata

connection = context.config.attributes.get("connection")
if not isinstance(connection, Connection):
    raise RuntimeError("run migrations with formengine.storage.upgrade(engine) "
                       "or `formengine db upgrade`")

context.configure(
    connection=connection,
    target_metadata=metadata,
    # SQLite cannot ALTER most things: later migrations rebuild tables in batch mode.
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
