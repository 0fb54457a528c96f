"""User-facing strings of learned aliases: who they count for, listing and detaching them
(merged into bot.i18n)."""

from __future__ import annotations

from bot.knowledge.model import Lang

STRINGS: dict[str, dict[Lang, str]] = {
    "als_not_home_guild": {
        "nl": "Geleerde aliassen veranderen de antwoorden in elke server. Deze bot heeft een thuisserver: "
        "alleen de moderators daar koppelen aliassen. Vraag het hun, of wijs deze vraag hier af.",
        "en": "Learned aliases change the answers in every server. This bot has a home server: only its "
        "moderators attach aliases. Ask them, or dismiss this question here.",
    },
    "als_scope_shared": {
        "nl": "Deze alias geldt in elke server (gedeelde inhoud van de thuisserver).",
        "en": "This alias counts in every server (shared content of the home server).",
    },
    "als_scope_guild": {
        "nl": "Deze alias geldt alleen in deze server.",
        "en": "This alias counts in this server only.",
    },
    "als_mark_shared": {"nl": "gedeeld", "en": "shared"},
    "als_mark_guild": {"nl": "deze server", "en": "this server"},
    "als_title": {"nl": "Geleerde aliassen ({total})", "en": "Learned aliases ({total})"},
    "als_page": {"nl": "Pagina {page} van {pages}", "en": "Page {page} of {pages}"},
    "als_none": {
        "nl": "Er gelden geen geleerde aliassen in deze server. Koppel er een via /cmo-beheer onbeantwoord.",
        "en": "No learned aliases count in this server. Attach one with /cmo-admin unanswered.",
    },
    "als_line": {
        "nl": '"{alias}" → **{topic}** ({language}, {scope})',
        "en": '"{alias}" → **{topic}** ({language}, {scope})',
    },
    "als_footer_home": {
        "nl": "Gedeelde aliassen komen uit de thuisserver en gelden overal; alleen de moderators daar ontkoppelen ze.",
        "en": "Shared aliases come from the home server and count everywhere; only its moderators detach them.",
    },
    "als_footer_guild": {
        "nl": "Zonder thuisserver geldt een alias alleen in de server die hem koppelde.",
        "en": "Without a home server, an alias counts only in the server that attached it.",
    },
    "als_pick": {"nl": "Kies een alias om te ontkoppelen", "en": "Choose an alias to detach"},
    "als_detach_button": {"nl": "Ontkoppelen", "en": "Detach"},
    "als_next_button": {"nl": "Volgende pagina", "en": "Next page"},
    "als_detached": {
        "nl": '🗑️ "{alias}" is geen alias van **{topic}** meer: /vraag beantwoordt die vraag weer zoals daarvoor.',
        "en": '🗑️ "{alias}" is no longer an alias of **{topic}**: /ask answers that question as it did before.',
    },
    "als_gone": {
        "nl": "Die alias bestaat niet meer: iemand anders heeft hem al ontkoppeld.",
        "en": "That alias no longer exists: someone else has detached it already.",
    },
    "als_not_yours": {
        "nl": "Die alias is in een andere server gekoppeld; alleen de moderators daar kunnen hem ontkoppelen.",
        "en": "That alias was attached in another server; only its moderators can detach it.",
    },
    "als_closed_by": {"nl": "Gesloten door een geleerde alias", "en": "Closed by a learned alias"},
    "als_closed_line": {
        "nl": '{count}× "{question}" → **{topic}** (alias "{alias}", {scope})',
        "en": '{count}× "{question}" → **{topic}** (alias "{alias}", {scope})',
    },
    "als_closed_more": {
        "nl": "… en nog {more}. Alle aliassen: /cmo-beheer aliassen",
        "en": "… and {more} more. All aliases: /cmo-admin aliases",
    },
}
