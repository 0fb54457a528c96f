"""Discord's limits on what one message may hold, and our own on a question, declared once.

Discord rejects a whole message when one of these is exceeded, so every module that builds
text for Discord fits it with `bot.text_fit` against the constants here.
"""

from __future__ import annotations

# A message's text, and the texts of an embed.
CONTENT_LIMIT = 2000
TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FIELD_COUNT_LIMIT = 25
FOOTER_LIMIT = 2048
EMBED_TOTAL_LIMIT = 6000

# Components and modals.
MODAL_TITLE_LIMIT = 45
LABEL_LIMIT = 80
SELECT_OPTION_LIMIT = 25
CHOICE_NAME_LIMIT = 100  # an autocomplete choice's name
AUTOCOMPLETE_LIMIT = 25  # choices in one autocomplete answer

# The longest question we answer and keep (the /ask option's maximum length, too).
MAX_QUESTION_LENGTH = 2000
