"""Persistence for cmo-bot: one SQLite database, its migrations, and one repository per table group.

Nothing here knows Discord; callers pass plain ids, hashes and records.
"""
