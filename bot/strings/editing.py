"""User-facing strings of the editing feature, in Dutch and English (merged into bot.i18n)."""

from __future__ import annotations

from bot.knowledge.model import Lang

STRINGS: dict[str, dict[Lang, str]] = {
    # the form
    "edit_modal_title": {"nl": "Bewerken: {title}", "en": "Edit: {title}"},
    "edit_label_title": {"nl": "Titel ({language})", "en": "Title ({language})"},
    "edit_label_summary": {"nl": "Samenvatting ({language})", "en": "Summary ({language})"},
    "edit_label_body": {"nl": "Uitleg ({language})", "en": "Body ({language})"},
    "edit_label_aliases": {
        "nl": "Aliassen ({language}), gescheiden door komma's",
        "en": "Aliases ({language}), comma separated",
    },
    "edit_label_reason": {"nl": "Reden van de wijziging (optioneel)", "en": "Reason for the change (optional)"},
    "edit_reason_placeholder": {
        "nl": "Bijvoorbeeld: cijfer bijgewerkt naar de nieuwe studie",
        "en": "For example: figure updated to the new study",
    },
    # after a submit
    "edit_saved": {
        "nl": "Opgeslagen als versie {n} van **{title}** en meteen live in /vraag, /uitleg en de zoeklijst. Gewijzigd: {changes}.",
        "en": "Saved as revision {n} of **{title}** and live at once in /ask, /explain and autocomplete. Changed: {changes}.",
    },
    "edit_overwritten": {
        "nl": "Let op: {fields} was intussen ook door iemand anders gewijzigd. Jouw tekst staat er nu; de vorige staat in de geschiedenis.",
        "en": "Note: {fields} had meanwhile been changed by someone else too. Your text is live now; the other one is in the history.",
    },
    "edit_rejected": {
        "nl": "Niet opgeslagen: zo klopt het onderwerp niet met het inhoudsschema. Er is niets veranderd.",
        "en": "Not saved: the topic would not match the content schema this way. Nothing has changed.",
    },
    "edit_nothing_changed": {
        "nl": "Je hebt niets gewijzigd, dus er is geen nieuwe versie opgeslagen.",
        "en": "You changed nothing, so no new revision was saved.",
    },
    "edit_unknown_topic": {
        "nl": 'Ik ken geen onderwerp "{value}" in de inhoudsbestanden. Kies er een uit de lijst terwijl je typt.',
        "en": 'There is no topic "{value}" in the content files. Pick one from the list as you type.',
    },
    # history and revert
    "edit_history_title": {"nl": "Geschiedenis: {title}", "en": "History: {title}"},
    "edit_history_edit": {"nl": "bewerkt ({language})", "en": "edited ({language})"},
    "edit_history_revert": {"nl": "teruggezet naar versie {target}", "en": "reverted to revision {target}"},
    "edit_history_changed": {"nl": "Gewijzigd: {changes}", "en": "Changed: {changes}"},
    "edit_history_no_change": {"nl": "Geen inhoudelijke wijziging", "en": "No change in content"},
    "edit_history_live": {"nl": "live", "en": "live"},
    "edit_history_file": {"nl": "de versie uit de bestanden", "en": "the version in the files"},
    "edit_history_unknown_editor": {"nl": "onbekend", "en": "unknown"},
    "edit_history_more": {"nl": "… en nog {count} oudere versies", "en": "… and {count} older revisions"},
    "edit_history_empty": {
        "nl": "Nog geen live bewerkingen: de versie uit de bestanden (0) is live.",
        "en": "No live edits yet: the version in the files (0) is live.",
    },
    "edit_history_footer": {
        "nl": "Zet een versie terug met /cmo-beheer terugzetten; 0 is de versie uit de bestanden.",
        "en": "Bring a revision back with /cmo-admin revert; 0 is the version in the files.",
    },
    "edit_unknown_revision": {
        "nl": "**{title}** heeft geen versie {n}. Bekijk de versies met /cmo-beheer geschiedenis.",
        "en": "**{title}** has no revision {n}. See the revisions with /cmo-admin history.",
    },
    "edit_reverted": {
        "nl": "Versie {target} van **{title}** is weer live, opgeslagen als versie {n}. Gewijzigd: {changes}.",
        "en": "Revision {target} of **{title}** is live again, saved as revision {n}. Changed: {changes}.",
    },
    "edit_reverted_file": {
        "nl": "De versie uit de bestanden van **{title}** is weer live, opgeslagen als versie {n}. Gewijzigd: {changes}.",
        "en": "The version in the files of **{title}** is live again, saved as revision {n}. Changed: {changes}.",
    },
    "edit_revert_nothing": {
        "nl": "Die versie van **{title}** is al live; er is niets opgeslagen.",
        "en": "That version of **{title}** is already live; nothing was saved.",
    },
    "edit_no_changes": {"nl": "niets", "en": "nothing"},
    # reload
    "edit_reload_title": {"nl": "Inhoud opnieuw ingelezen", "en": "Content reloaded"},
    "edit_reload_summary": {
        "nl": "{topics} onderwerpen en {tips} tips zijn nu live.",
        "en": "{topics} topics and {tips} tips are live now.",
    },
    "edit_reload_unchanged": {
        "nl": "Er zijn geen onderwerpen toegevoegd, gewijzigd of verwijderd.",
        "en": "No topics were added, changed or removed.",
    },
    "edit_reload_added": {"nl": "Toegevoegd ({count})", "en": "Added ({count})"},
    "edit_reload_changed": {"nl": "Gewijzigd ({count})", "en": "Changed ({count})"},
    "edit_reload_removed": {"nl": "Verwijderd ({count})", "en": "Removed ({count})"},
    "edit_reload_shadowed": {
        "nl": "Bestand gewijzigd, maar de live bewerking gaat voor ({count})",
        "en": "File changed, but the live edit still applies ({count})",
    },
    "edit_reload_shadowed_hint": {
        "nl": "Zet deze onderwerpen terug naar versie 0 om de nieuwe bestanden te gebruiken.",
        "en": "Revert these topics to revision 0 to use the new files.",
    },
    "edit_reload_failed_title": {"nl": "Inhoud niet herladen", "en": "Content not reloaded"},
    "edit_reload_failed": {
        "nl": "De bestanden bevatten {count} fout(en). De inhoud die live was, blijft live.",
        "en": "The files hold {count} error(s). The content that was live stays live.",
    },
    "edit_more_issues": {"nl": "… en nog {count}", "en": "… and {count} more"},
}
