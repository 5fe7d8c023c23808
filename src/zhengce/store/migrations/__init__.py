"""Alembic migrations of the library (env.py, versions/)."""
