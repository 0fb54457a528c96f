"""User-facing strings of the insights feature and of /privacy, in Dutch and English (merged into bot.i18n)."""

from __future__ import annotations

from bot.knowledge.model import Lang

STRINGS: dict[str, dict[Lang, str]] = {
    # -- /cmo-admin stats ------------------------------------------------------------------
    "ins_stats_title": {"nl": "Vragen in de afgelopen {days} dagen", "en": "Questions in the last {days} days"},
    "ins_stats_summary": {
        "nl": "{asked} vragen gesteld met /vraag: {answered} beantwoord ({answered_share}), {guessed} met een "
        "beste gok ({guessed_share}), {unanswered} zonder antwoord ({unanswered_share}).",
        "en": "{asked} questions asked with /ask: {answered} answered ({answered_share}), {guessed} with a best "
        "guess ({guessed_share}), {unanswered} unanswered ({unanswered_share}).",
    },
    "ins_stats_empty": {
        "nl": "In deze periode is in deze server nog niets gevraagd.",
        "en": "Nothing was asked in this server in this period.",
    },
    "ins_stats_per_day": {
        "nl": "Per dag (beantwoord / gok / geen antwoord)",
        "en": "Per day (answered / guess / unanswered)",
    },
    "ins_stats_guesses": {"nl": "Beste gokken", "en": "Best guesses"},
    "ins_stats_guesses_total": {
        "nl": "{count} keer een beste gok, 👍 {up} · 👎 {down}",
        "en": "{count} best guesses, 👍 {up} · 👎 {down}",
    },
    "ins_stats_guess_line": {
        "nl": "{topic}: {count}×, 👍 {up} · 👎 {down}",
        "en": "{topic}: {count}×, 👍 {up} · 👎 {down}",
    },
    "ins_stats_top_topics": {"nl": "Meest gelezen onderwerpen", "en": "Most read topics"},
    "ins_stats_top_unanswered": {
        "nl": "Vaakst gestelde vragen zonder antwoord",
        "en": "Most asked unanswered questions",
    },
    "ins_stats_lowest_rated": {"nl": "Laagst beoordeelde antwoorden", "en": "Lowest rated answers"},
    "ins_stats_none": {"nl": "geen", "en": "none"},
    "ins_stats_footer": {
        "nl": "Tijden in UTC. Onbeantwoorde vragen en gokken met een 👎 afhandelen: /cmo-beheer onbeantwoord",
        "en": "Times in UTC. To handle unanswered questions and best guesses rated 👎: /cmo-admin unanswered",
    },
    "ins_chart_title": {"nl": "Vragen per dag", "en": "Questions per day"},
    "ins_chart_answered": {"nl": "beantwoord", "en": "answered"},
    "ins_chart_guessed": {"nl": "beste gok", "en": "best guess"},
    "ins_chart_unanswered": {"nl": "niet beantwoord", "en": "not answered"},
    # -- /cmo-admin unanswered and suggestions -----------------------------------------------
    "ins_unanswered_title": {
        "nl": "Onbeantwoorde vraag {index} van {total}",
        "en": "Unanswered question {index} of {total}",
    },
    "ins_unanswered_body": {
        "nl": "{count}× gesteld, het laatst op {date} (taal: {language}).\n\n"
        "Kies het onderwerp dat deze vraag beantwoordt en koppel de vraag als alias: "
        "dan geeft /vraag voortaan dat onderwerp. Of wijs de vraag af als ze niet bij de bot hoort.",
        "en": "Asked {count}×, last on {date} (language: {language}).\n\n"
        "Pick the topic that answers this question and attach the question as an alias: "
        "/ask then answers it with that topic. Or dismiss it if it does not belong here.",
    },
    "ins_unanswered_none": {
        "nl": "Er staan geen onbeantwoorde vragen open in deze server. Mooi zo!",
        "en": "There are no open unanswered questions in this server. Nice!",
    },
    "ins_also_open": {"nl": "Ook nog open", "en": "Also open"},
    "ins_rejected_guess": {"nl": "(beste gok: {topic}, 👎)", "en": "(best guess: {topic}, 👎)"},
    "ins_pick_topic": {
        "nl": "Kies het onderwerp dat deze vraag beantwoordt…",
        "en": "Pick the topic that answers this…",
    },
    "ins_likely": {"nl": "waarschijnlijk", "en": "likely"},
    "ins_attach_button": {"nl": "Koppel als alias", "en": "Attach as alias"},
    "ins_dismiss_button": {"nl": "Afwijzen", "en": "Dismiss"},
    "ins_next_button": {"nl": "Volgende", "en": "Next"},
    "ins_attached": {
        "nl": '✅ "{alias}" is nu een alias van **{topic}**: /vraag beantwoordt deze vraag voortaan met dat onderwerp.',
        "en": '✅ "{alias}" is now an alias of **{topic}**: /ask answers this question with that topic from now on.',
    },
    "ins_attached_weak": {
        "nl": '⚠️ "{alias}" is als alias aan **{topic}** gekoppeld, maar de zoekfunctie kiest voor deze vraag '
        "nog steeds niet dat onderwerp (de vraag bevat weinig betekenisvolle woorden). Overweeg het onderwerp aan te vullen.",
        "en": '⚠️ "{alias}" was attached to **{topic}** as an alias, but search still does not pick that topic '
        "for this question (it has few meaningful words). Consider extending the topic.",
    },
    "ins_dismissed": {
        "nl": '🗑️ "{question}" is afgewezen en staat niet meer in de lijst.',
        "en": '🗑️ "{question}" was dismissed and has left the list.',
    },
    "ins_gone": {
        "nl": "Deze vraag staat niet meer open: ze is al gekoppeld, afgewezen of verlopen.",
        "en": "This question is no longer open: it was attached, dismissed or has expired.",
    },
    "ins_failed": {
        "nl": "Koppelen is niet gelukt; er is niets veranderd. Probeer het zo nog eens.",
        "en": "Attaching failed; nothing was changed. Please try again in a moment.",
    },
    "ins_suggestion_title": {"nl": "Suggestie {index} van {total}", "en": "Suggestion {index} of {total}"},
    "ins_suggestion_body": {
        "nl": "{users} gebruikers kregen op deze vraag geen antwoord en openden binnen 5 minuten zelf **{topic}** "
        "(taal: {language}).\n\nAccepteer om de vraag als alias aan dat onderwerp te koppelen; er verandert niets "
        "tot je dat doet.",
        "en": "{users} users got no answer to this question and opened **{topic}** themselves within 5 minutes "
        "(language: {language}).\n\nAccept to attach the question to that topic as an alias; nothing changes "
        "until you do.",
    },
    "ins_suggestions_none": {
        "nl": "Er zijn nu geen suggesties. Een suggestie verschijnt zodra minstens twee gebruikers na dezelfde "
        "onbeantwoorde vraag binnen 5 minuten hetzelfde onderwerp openden.",
        "en": "There are no suggestions right now. One appears once at least two users opened the same topic "
        "within 5 minutes after the same unanswered question.",
    },
    "ins_accept_button": {"nl": "Accepteren", "en": "Accept"},
    "ins_reject_button": {"nl": "Afwijzen", "en": "Reject"},
    "ins_rejected": {
        "nl": '🗑️ Suggestie afgewezen: de bot stelt niet meer voor om "{question}" aan **{topic}** te koppelen.',
        "en": '🗑️ Suggestion rejected: "{question}" will no longer be proposed for **{topic}**.',
    },
    # -- /cmo-admin export-questions --------------------------------------------------------
    "ins_export_done": {
        "nl": "Het vragenlogboek van de afgelopen {days} dagen: {rows} regels, zonder gebruikers-id's of hashes.",
        "en": "The question log of the last {days} days: {rows} rows, without user ids or hashes.",
    },
    "ins_export_truncated": {
        "nl": "Het bestand werd te groot en bevat alleen de eerste {rows} regels; kies minder dagen voor de rest.",
        "en": "The file grew too large and holds only the first {rows} rows; pick fewer days for the rest.",
    },
    # -- /privacy ---------------------------------------------------------------------------
    "privacy_info_title": {"nl": "Privacy: wat cmo-bot bewaart", "en": "Privacy: what cmo-bot stores"},
    "privacy_info_what_name": {"nl": "Wat", "en": "What"},
    "privacy_info_what": {
        "nl": "Bij elke vraag en elk geopend onderwerp: de tekst van je vraag, het tijdstip, de server en het "
        "kanaal, het commando, je taal, het gevonden onderwerp en hoe zeker de bot was; en je 👍/👎. "
        "Bewerk je als moderator de inhoud, dan staan je naam en hash bij die versie. "
        "Je Discord-id wordt nooit bewaard, alleen een versleutelde hash ervan (HMAC-SHA256 met een geheime "
        "sleutel), zodat we je gegevens kunnen tellen en wissen zonder te weten wie je bent.",
        "en": "For every question and every opened topic: the text of your question, the time, the server and "
        "channel, the command, your language, the topic found and how confident the bot was; and your 👍/👎. "
        "If you edit content as a moderator, your name and hash are kept with that revision. "
        "Your Discord id is never stored, only a keyed hash of it (HMAC-SHA256 with a secret key), so your "
        "data can be counted and erased without knowing who you are.",
    },
    "privacy_info_why_name": {"nl": "Waarom", "en": "Why"},
    "privacy_info_why": {
        "nl": "Om de inhoud te verbeteren: moderators zien welke vragen geen antwoord kregen en welke antwoorden "
        "niet hielpen, en koppelen gemiste vragen aan het juiste onderwerp. Ze zien nooit wie iets vroeg.",
        "en": "To improve the content: moderators see which questions went unanswered and which answers did not "
        "help, and attach missed questions to the right topic. They never see who asked.",
    },
    "privacy_info_how_long_name": {"nl": "Hoe lang", "en": "How long"},
    "privacy_info_how_long": {
        "nl": "{days} dagen. Daarna worden vragen en beoordelingen automatisch verwijderd (dagelijks gecontroleerd).",
        "en": "{days} days. After that, questions and ratings are deleted automatically (checked daily).",
    },
    "privacy_info_erase_name": {"nl": "Wissen", "en": "Erasing"},
    "privacy_info_erase": {
        "nl": "Met /privacy vergeet-mij zie je hoeveel er over jou bewaard is en wis je het meteen, na een bevestiging.",
        "en": "With /privacy forget-me you see how much is stored for you and erase it at once, after a confirmation.",
    },
    "privacy_info_yours_name": {"nl": "Nu voor jou bewaard", "en": "Stored for you now"},
    "privacy_info_yours": {
        "nl": "{questions} vragen, {ratings} beoordelingen, je naam bij {edits} bewerkingen van de inhoud.",
        "en": "{questions} questions, {ratings} ratings, your name on {edits} content edits.",
    },
    "privacy_forget_count": {
        "nl": "Voor jou zijn bewaard: {questions} vragen, {ratings} beoordelingen en je naam bij {edits} "
        "bewerkingen van de inhoud. Wil je die wissen? De bewerkingen zelf blijven, zonder je naam. "
        "Dat kan niet ongedaan worden gemaakt.",
        "en": "Stored for you: {questions} questions, {ratings} ratings and your name on {edits} content edits. "
        "Do you want to erase them? The edits themselves stay, without your name. This cannot be undone.",
    },
    "privacy_forget_nothing": {
        "nl": "Er is niets over jou bewaard: geen vragen, geen beoordelingen en geen bewerkingen op je naam.",
        "en": "Nothing is stored for you: no questions, no ratings and no edits in your name.",
    },
    "privacy_confirm_button": {"nl": "Ja, wis alles", "en": "Yes, erase everything"},
    "privacy_cancel_button": {"nl": "Annuleren", "en": "Cancel"},
    "privacy_erased": {
        "nl": "Gewist: {questions} vragen, {ratings} beoordelingen en je naam bij {edits} bewerkingen. "
        "De gegevens van anderen zijn niet aangeraakt.",
        "en": "Erased: {questions} questions, {ratings} ratings and your name on {edits} edits. "
        "Nobody else's data was touched.",
    },
    "privacy_erased_aliases": {
        "nl": "Je woorden zijn ook uit {aliases} geleerde zoektermen gehaald.",
        "en": "Your words were also taken out of {aliases} learned aliases.",
    },
    "privacy_cancelled": {"nl": "Niets gewist.", "en": "Nothing was erased."},
    "privacy_erase_failed": {
        "nl": "Wissen lukte nu niet, de database is bezet. Er is niets half gewist; probeer het over een paar minuten opnieuw.",
        "en": "Erasing failed because the database is busy. Nothing was half erased; please try again in a few minutes.",
    },
}
