"""The improvement loop's core: what people asked, what went unanswered, what to learn from it.

No Discord here: the moderator panel and the tests call these functions with a database and
plain values.
"""
