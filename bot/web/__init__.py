"""The moderators' web dashboard: aiohttp pages behind Discord login, on the same core
services as the bot. Thin like the Discord layer: it reads requests, checks who may do what,
calls the core and renders HTML; nothing here decides what an answer is."""
