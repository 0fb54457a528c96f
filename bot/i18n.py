"""User-facing strings in Dutch and English, kept in one place so both always exist.

A test checks that every key has both languages and the same placeholders, so a new message
can never reach a user half translated.
"""

from __future__ import annotations

from bot.knowledge.model import Lang

STRINGS: dict[str, dict[Lang, str]] = {
    "sources": {"nl": "Bronnen", "en": "Sources"},
    "source_accessed": {"nl": "geraadpleegd {date}", "en": "accessed {date}"},
    "no_match": {
        "nl": "Daar heb ik nog geen antwoord op. Je vraag is doorgegeven aan de moderators, zodat de inhoud beter wordt.",
        "en": "I don't have an answer to that yet. Your question has been passed on to the moderators so the content can improve.",
    },
    "no_match_title": {"nl": "Nog niet behandeld", "en": "Not covered yet"},
    "answer_lead": {"nl": "Het antwoord", "en": "The answer"},
    "guess_intro": {
        "nl": "Zeker weten doe ik het niet. Bedoel je dit onderwerp? Anders staan hieronder andere mogelijkheden.",
        "en": "I'm not sure about this one. Did you mean this topic? Other options are below.",
    },
    "guess_title": {"nl": "Bedoel je: {title}?", "en": "Did you mean: {title}?"},
    "tip_title": {"nl": "Tip", "en": "Tip"},
    "tip_footer": {"nl": "Meer hierover: {title}", "en": "More on this: {title}"},
    "error_generic": {
        "nl": "Er ging iets mis bij het beantwoorden. Probeer het zo nog eens.",
        "en": "Something went wrong while answering. Please try again in a moment.",
    },
    "ask_empty": {
        "nl": "Je vraag is leeg. Typ een vraag, bijvoorbeeld: Wat doet een CMO?",
        "en": "Your question is empty. Type a question, for example: What does a CMO do?",
    },
    "error_cooldown": {
        "nl": "Rustig aan: probeer het over {seconds} seconden opnieuw.",
        "en": "Easy does it: try again in {seconds} seconds.",
    },
    "error_shutting_down": {
        "nl": "De bot start zo opnieuw op. Stel je vraag over een halve minuut nog eens.",
        "en": "The bot is restarting. Please ask again in half a minute.",
    },
    "error_not_moderator": {
        "nl": "Dit is alleen voor moderators: leden met het recht Server beheren of een editorrol.",
        "en": "This is for moderators only: members with Manage Server or an editor role.",
    },
    "error_not_home_guild": {
        "nl": "De inhoud wordt door alle servers gedeeld en kan alleen in de thuisserver van de bot worden bewerkt.",
        "en": "The content is shared by every server and can only be edited in the bot's home server.",
    },
    "error_forbidden": {
        "nl": "Dit commando is niet voor jou beschikbaar.",
        "en": "This command is not available to you.",
    },
    "category_cmo-role": {"nl": "De rol van de CMO", "en": "The CMO role"},
    "category_c-suite": {"nl": "C-level functies", "en": "The C-suite"},
    "category_ai-trends": {"nl": "AI en de CMO", "en": "AI and the CMO"},
    "topics_title": {"nl": "Onderwerpen", "en": "Topics"},
    "topics_intro": {
        "nl": "Kies een categorie om de onderwerpen te zien, en dan een onderwerp om het te lezen.",
        "en": "Pick a category to see its topics, then a topic to read it.",
    },
    "topics_count": {"nl": "{count} onderwerpen", "en": "{count} topics"},
    "pick_category": {"nl": "Kies een categorie…", "en": "Pick a category…"},
    "pick_topic": {"nl": "Kies een onderwerp…", "en": "Pick a topic…"},
    "related_placeholder": {"nl": "Lees ook…", "en": "Read next…"},
    "feedback_up": {"nl": "Nuttig", "en": "Helpful"},
    "feedback_down": {"nl": "Niet nuttig", "en": "Not helpful"},
    "feedback_thanks_up": {"nl": "Dank je! Fijn dat het hielp.", "en": "Thanks! Glad it helped."},
    "feedback_thanks_down": {
        "nl": "Dank je. De moderators gebruiken dit om het antwoord te verbeteren.",
        "en": "Thanks. The moderators use this to improve the answer.",
    },
    "feedback_gone": {
        "nl": "Deze vraag staat niet meer in het logboek, dus je beoordeling kan niet meer worden opgeslagen.",
        "en": "This question is no longer in the log, so your rating can no longer be stored.",
    },
    "topic_gone": {
        "nl": "Dat onderwerp bestaat niet (meer). Probeer /onderwerpen om te bladeren.",
        "en": "That topic does not exist (any more). Try /topics to browse.",
    },
    "unknown_topic": {
        "nl": "Ik ken geen onderwerp \"{value}\". Kies er een uit de lijst terwijl je typt.",
        "en": "I don't know a topic \"{value}\". Pick one from the list as you type.",
    },
    "compare_title": {"nl": "{role} naast de CMO", "en": "{role} beside the CMO"},
    "compare_all_title": {"nl": "C-level functies vergeleken", "en": "C-level roles compared"},
    "compare_missing": {
        "nl": "De vergelijkingstabel ontbreekt in de inhoud; meld dit bij een moderator.",
        "en": "The comparison table is missing from the content; please tell a moderator.",
    },
    "open_topic": {"nl": "Lees: {title}", "en": "Read: {title}"},
    "help_title": {"nl": "Wat kan deze bot?", "en": "What can this bot do?"},
    "help_intro": {
        "nl": "Ik leg de rol van de CMO uit en hoe generatieve AI die verandert, met bronnen erbij.",
        "en": "I explain the role of the CMO and how generative AI is changing it, with sources.",
    },
    "help_ask": {"nl": "Stel een vraag in je eigen woorden.", "en": "Ask a question in your own words."},
    "help_explain": {"nl": "Lees een onderwerp; kies het terwijl je typt.", "en": "Read a topic; pick it as you type."},
    "help_compare": {"nl": "Zet een C-level rol naast de CMO.", "en": "Put a C-level role beside the CMO."},
    "help_topics": {"nl": "Blader door alle onderwerpen.", "en": "Browse all topics."},
    "help_tip": {"nl": "Krijg meteen een tip.", "en": "Get a tip right now."},
    "help_footer": {
        "nl": "Vragen worden anoniem gelogd zodat de inhoud beter wordt. Zie /privacy info.",
        "en": "Questions are logged anonymously so the content can improve. See /privacy info.",
    },
    "suggestions": {"nl": "Misschien bedoel je:", "en": "Perhaps you mean:"},
    "related": {"nl": "Zie ook", "en": "See also"},
    "score": {"nl": "zekerheid {score}", "en": "confidence {score}"},
    "more_hint": {
        "nl": "… (ingekort; gebruik /uitleg {topic} voor de rest)",
        "en": "… (shortened; use /explain {topic} for the rest)",
    },
}


def _merge_feature_strings() -> None:
    """Feature modules keep their own tables (one owner per file); a duplicate key is a bug."""
    from bot.strings import aliases, editing, insights, ops, tips

    for table in (insights.STRINGS, tips.STRINGS, editing.STRINGS, ops.STRINGS, aliases.STRINGS):
        for key, value in table.items():
            if key in STRINGS:
                raise RuntimeError(f"duplicate UI string key {key!r}")
            STRINGS[key] = value


_merge_feature_strings()


def t(key: str, lang: Lang, **values: object) -> str:
    """The string for `key` in `lang`, with placeholders filled in."""
    text = STRINGS[key][lang]
    return text.format(**values) if values else text


# Dutch names and descriptions of slash commands and their options, keyed by the English
# base text. English locales keep the base; Discord shows these to users with locale nl.
COMMAND_NL: dict[str, str] = {
    "ask": "vraag",
    "Ask a question about the CMO role or AI in marketing": "Stel een vraag over de rol van de CMO of AI in marketing",
    "question": "vraag",
    "Your question, in your own words": "Je vraag, in je eigen woorden",
    "explain": "uitleg",
    "Read a topic about the CMO role or AI in marketing": "Lees een onderwerp over de rol van de CMO of AI in marketing",
    "topic": "onderwerp",
    "Start typing and pick a topic": "Begin te typen en kies een onderwerp",
    "compare": "vergelijk",
    "Compare a C-level role with the CMO": "Vergelijk een C-level functie met de CMO",
    "role": "rol",
    "The role to put beside the CMO, or all of them": "De functie om naast de CMO te zetten, of allemaal",
    "all": "allemaal",
    "topics": "onderwerpen",
    "Browse all topics by category": "Blader door alle onderwerpen per categorie",
    "tip": "tip",
    "Get a tip about the CMO role right now": "Krijg meteen een tip over de rol van de CMO",
    "help": "help",
    "What this bot can do": "Wat deze bot kan",
    # moderator commands
    "cmo-admin": "cmo-beheer",
    "Moderator tools for cmo-bot": "Beheer van cmo-bot voor moderators",
    "stats": "statistieken",
    "Questions per day, answered share, top and unanswered questions, ratings": "Vragen per dag, aandeel beantwoord, topvragen, onbeantwoorde vragen en beoordelingen",
    "days": "dagen",
    "How many days back": "Hoeveel dagen terug",
    "unanswered": "onbeantwoord",
    "Open unanswered questions, to attach as an alias or dismiss": "Open onbeantwoorde vragen, om als alias te koppelen of af te wijzen",
    "suggestions": "suggesties",
    "aliases": "aliassen",
    "Learned aliases that count in this server, to review or detach": "Geleerde aliassen die in deze server gelden, om na te kijken of te ontkoppelen",
    "Aliases the bot proposes from what users opened after a miss": "Aliassen die de bot voorstelt op basis van wat gebruikers na een misser openden",
    "export-questions": "vragen-exporteren",
    "The question log as a CSV file, without user identifiers": "Het vragenlogboek als CSV-bestand, zonder gebruikersgegevens",
    "tips-set": "tips-instellen",
    "Post a tip in a channel at a set local time": "Plaats op een vast lokaal tijdstip een tip in een kanaal",
    "channel": "kanaal",
    "The text channel for the tips": "Het tekstkanaal voor de tips",
    "time": "tijd",
    "Local time as HH:MM, e.g. 09:00": "Lokale tijd als UU:MM, bijvoorbeeld 09:00",
    "mon-fri (default), daily, or a list like mon,wed,fri": "ma-vr als standaard (mon-fri), daily, of een lijst zoals mon,wed,fri",
    "timezone": "tijdzone",
    "IANA time zone, e.g. Europe/Amsterdam": "IANA-tijdzone, bijvoorbeeld Europe/Amsterdam",
    "language": "taal",
    "Language of the tips": "Taal van de tips",
    "tips-off": "tips-uit",
    "Stop the scheduled tips in this server": "Stop de geplande tips in deze server",
    "tips-status": "tips-status",
    "The tip schedule, the next and last post, and the last error": "Het tipschema, de volgende en laatste tip en de laatste fout",
    "tips-preview": "tips-voorbeeld",
    "The tip that would be posted next": "De tip die hierna geplaatst zou worden",
    "reload": "herladen",
    "Re-read the content files and make them live": "Lees de inhoudsbestanden opnieuw in en zet ze live",
    "edit": "bewerken",
    "Edit a topic live in a form": "Bewerk een onderwerp live in een formulier",
    "The topic": "Het onderwerp",
    "Which language to edit": "Welke taal je bewerkt",
    "history": "geschiedenis",
    "The revisions of a topic": "De versies van een onderwerp",
    "revert": "terugzetten",
    "Make an earlier revision of a topic live again": "Zet een eerdere versie van een onderwerp weer live",
    "revision": "versie",
    "Revision number; 0 is the version in the files": "Versienummer; 0 is de versie uit de bestanden",
    "privacy": "privacy",
    "What cmo-bot stores about you, and erasing it": "Wat cmo-bot over jou bewaart, en dat wissen",
    "info": "info",
    "What is stored, why and for how long": "Wat er wordt bewaard, waarom en hoe lang",
    "forget-me": "vergeet-mij",
    "Erase the questions and ratings stored for you": "Wis de vragen en beoordelingen die voor jou zijn bewaard",
}


def lang_for_locale(locale: str | None, default: Lang) -> Lang:
    """Discord's locale picks the language: nl -> Dutch, en-* -> English, else the default."""
    if not locale:
        return default
    if locale == "nl" or locale.startswith("nl-"):
        return "nl"
    if locale.startswith("en"):
        return "en"
    return default
