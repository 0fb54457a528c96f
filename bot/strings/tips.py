"""User-facing strings of the tips feature, in Dutch and English (merged into bot.i18n)."""

from __future__ import annotations

from bot.knowledge.model import Lang

STRINGS: dict[str, dict[Lang, str]] = {
    # -- validation ------------------------------------------------------------------------
    "tips_invalid_time": {
        "nl": "`{value}` is geen geldige tijd. Gebruik UU:MM in 24-uursnotatie, bijvoorbeeld 09:00.",
        "en": "`{value}` is not a valid time. Use HH:MM on a 24-hour clock, for example 09:00.",
    },
    "tips_invalid_days": {
        "nl": "Ik begrijp de dagen `{value}` niet. Gebruik `mon-fri` (standaard), `daily` of een lijst zoals "
        "`mon,wed,fri`; Nederlandse afkortingen als `ma,wo,vr` mogen ook.",
        "en": "I don't understand the days `{value}`. Use `mon-fri` (the default), `daily` or a list like "
        "`mon,wed,fri`; Dutch abbreviations such as `ma,wo,vr` work too.",
    },
    "tips_invalid_timezone": {
        "nl": "`{value}` is geen bekende tijdzone. Kies een IANA-naam uit de lijst, zoals Europe/Amsterdam.",
        "en": "`{value}` is not a known time zone. Pick an IANA name from the list, such as Europe/Amsterdam.",
    },
    "tips_invalid_channel": {
        "nl": "{channel} is geen tekstkanaal. Kies een tekst- of aankondigingskanaal voor de tips.",
        "en": "{channel} is not a text channel. Pick a text or announcement channel for the tips.",
    },
    # -- tips-set / tips-off ---------------------------------------------------------------
    "tips_set_done": {
        "nl": "Geplande tips staan aan: {schedule}.\nVolgende tip: {next}.",
        "en": "Scheduled tips are on: {schedule}.\nNext tip: {next}.",
    },
    "tips_perm_missing": {
        "nl": "⚠️ Let op: in {channel} mis ik het recht {permissions}. Zonder dat kan ik daar geen tip plaatsen. "
        "Geef het me in de kanaal- of rolinstellingen; het schema is wel opgeslagen.",
        "en": "⚠️ Heads up: in {channel} I lack the permission {permissions}. Without it I cannot post a tip "
        "there. Grant it in the channel or role settings; the schedule has been saved.",
    },
    "tips_perm_unknown": {
        "nl": "ℹ️ Ik kon niet controleren of ik in {channel} mag posten. Zorg dat ik er Kanaal bekijken, "
        "Berichten versturen en Links insluiten heb; een fout zie je terug in tips-status. Gebruik "
        "tips-instellen in dat kanaal zelf, dan controleer ik het meteen.",
        "en": "ℹ️ I could not check whether I may post in {channel}. Make sure I have View Channel, Send "
        "Messages and Embed Links there; any error will show up in tips-status. Use tips-set in that "
        "channel itself and I will check it right away.",
    },
    "tips_perm_view": {"nl": "Kanaal bekijken", "en": "View Channel"},
    "tips_perm_send": {"nl": "Berichten versturen", "en": "Send Messages"},
    "tips_perm_embed": {"nl": "Links insluiten", "en": "Embed Links"},
    "tips_off_done": {
        "nl": "De geplande tips staan uit. Zet ze weer aan met tips-instellen.",
        "en": "Scheduled tips are off. Turn them back on with tips-set.",
    },
    "tips_off_none": {
        "nl": "Er stonden geen geplande tips aan in deze server.",
        "en": "There were no scheduled tips on in this server.",
    },
    # -- tips-status -----------------------------------------------------------------------
    "tips_status_title": {"nl": "Geplande tips", "en": "Scheduled tips"},
    "tips_status_none": {
        "nl": "Deze server heeft nog geen tipschema. Stel er een in met tips-instellen.",
        "en": "This server has no tip schedule yet. Set one up with tips-set.",
    },
    "tips_field_schedule": {"nl": "Schema", "en": "Schedule"},
    "tips_field_next": {"nl": "Volgende tip", "en": "Next tip"},
    "tips_field_last": {"nl": "Laatste tip", "en": "Last tip"},
    "tips_field_error": {"nl": "Laatste fout", "en": "Last error"},
    "tips_status_off": {"nl": "uit", "en": "off"},
    "tips_schedule_line": {
        "nl": "{days} om {time} ({zone}) in {channel}, in het {language}",
        "en": "{days} at {time} ({zone}) in {channel}, in {language}",
    },
    "tips_when": {"nl": "{local} ({zone}) · {utc} UTC · {relative}", "en": "{local} ({zone}) · {utc} UTC · {relative}"},
    "tips_last_line": {"nl": "`{tip}` in {channel}, {when}", "en": "`{tip}` in {channel}, {when}"},
    "tips_none_yet": {"nl": "nog geen", "en": "none yet"},
    "tips_no_error": {"nl": "geen", "en": "none"},
    "tips_error_at": {"nl": "{error}\n({when})", "en": "{error}\n({when})"},
    "tips_error_not_found": {
        "nl": "Het kanaal bestaat niet meer of ik kan het niet vinden (404). Kies een ander kanaal met tips-instellen.",
        "en": "The channel no longer exists or I cannot find it (404). Choose another channel with tips-set.",
    },
    "tips_error_forbidden": {
        "nl": "Ik mag niet posten in het kanaal (403). Geef me Kanaal bekijken, Berichten versturen en "
        "Links insluiten.",
        "en": "I am not allowed to post in the channel (403). Give me View Channel, Send Messages and Embed Links.",
    },
    "tips_error_other": {"nl": "Discord gaf een fout: {detail}", "en": "Discord returned an error: {detail}"},
    "tips_error_schedule": {
        "nl": "Het opgeslagen schema is niet meer geldig ({detail}). Stel het opnieuw in met tips-instellen.",
        "en": "The stored schedule is no longer valid ({detail}). Set it again with tips-set.",
    },
    "tips_error_no_tips": {
        "nl": "Er zijn geen tips in de inhoud om te plaatsen.",
        "en": "There are no tips in the content to post.",
    },
    # -- tips-preview ----------------------------------------------------------------------
    "tips_preview_intro": {
        "nl": "Dit is de tip die hierna geplaatst wordt (in het {language}):",
        "en": "This is the tip that will be posted next (in {language}):",
    },
    # -- days and languages ----------------------------------------------------------------
    "tips_days_workdays": {"nl": "ma t/m vr", "en": "Mon–Fri"},
    "tips_days_daily": {"nl": "elke dag", "en": "every day"},
    "tips_day_0": {"nl": "ma", "en": "Mon"},
    "tips_day_1": {"nl": "di", "en": "Tue"},
    "tips_day_2": {"nl": "wo", "en": "Wed"},
    "tips_day_3": {"nl": "do", "en": "Thu"},
    "tips_day_4": {"nl": "vr", "en": "Fri"},
    "tips_day_5": {"nl": "za", "en": "Sat"},
    "tips_day_6": {"nl": "zo", "en": "Sun"},
    "tips_lang_nl": {"nl": "Nederlands", "en": "Dutch"},
    "tips_lang_en": {"nl": "Engels", "en": "English"},
}
