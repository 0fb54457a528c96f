"""Live content editing without Discord: the edit form, validation, revisions, revert, reload
reports and the export back to files. The Discord panel (bot/features/admin/editing.py) is a
thin layer on top of this package."""
