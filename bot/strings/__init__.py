"""The UI string tables, one TOML file per feature (data, not code); bot.i18n reads and merges them.

Each key is a table with its Dutch and its English text, Dutch first:

    [edit_history_more]
    nl = "… en nog {count:# oudere versie|# oudere versies}"
    en = "… and {count:# older revision|# older revisions}"

A count that names a thing takes its one/other form inline, as above (see bot.i18n).
"""
