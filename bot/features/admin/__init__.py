"""The moderator commands: one group (cog.py), a panel per feature."""
