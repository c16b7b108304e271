"""Alembic environment: migrations run against the connection narrative_qa hands over."""

from alembic import context

from narrative_qa.store.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata)
with context.begin_transaction():
    context.run_migrations()
