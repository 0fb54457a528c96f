"""End to end in a real browser: a moderator logs in with Discord and uses the dashboard;
what they change is what the next /ask answers.

Debian's chromium, driven by Playwright, against the real bot process (services, SQLite
file, content copy) and the fake Discord, which does the OAuth2 login and answers the bot's
REST reads of roles and channels.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest_asyncio
from playwright.async_api import expect

from tests.web_harness import PHONE, Dashboard, running_dashboard

UNKNOWN = "Welke koffie drinkt de marketingafdeling het liefst?"


@pytest_asyncio.fixture
async def dash(fake_discord, tmp_path: Path) -> AsyncIterator[Dashboard]:
    async with running_dashboard(fake_discord, tmp_path) as dashboard:
        yield dashboard


async def test_a_moderator_logs_in_with_discord_and_sees_the_overview(dash: Dashboard):
    await dash.ask("Wat doet een CMO?")
    await dash.ask(UNKNOWN)
    await dash.harness.services.writer.flush()
    page = await dash.logged_in(dash.people.moderator)
    await expect(page.get_by_role("heading", name="Je servers")).to_be_visible()
    await page.get_by_role("link", name="Dashboard openen").first.click()
    await expect(page.get_by_role("heading", name="Wat je team vraagt")).to_be_visible()
    totals = page.locator(".totals")
    await expect(totals).to_contain_text("2 vragen")
    await expect(totals).to_contain_text("1 onbeantwoord")
    await expect(page.locator("figure.chart svg[role='img']")).to_be_visible()
    # The chart's numbers are in the table beside it too.
    await expect(page.locator(".day-table tbody tr").first).to_contain_text("2")  # today first
    assert dash.fake.oauth_token_requests, "the code was exchanged with the fake Discord"


async def test_a_member_without_rights_gets_the_403_page(dash: Dashboard):
    page = await dash.logged_in(dash.people.member)
    await expect(page.get_by_text("Je bent hier geen moderator.").first).to_be_visible()
    response = await page.goto(f"/g/{dash.home_id}")
    assert response is not None and response.status == 403
    await expect(page.get_by_role("heading", name="Geen toegang")).to_be_visible()
    await expect(page.locator("main")).to_contain_text("Server beheren")
    for path in ("/queue", "/topics", "/tips", "/export/questions.csv"):
        refused = await page.goto(f"/g/{dash.home_id}{path}")
        assert refused is not None and refused.status == 403, path


def field_values(message: dict) -> str:
    embed = message["embeds"][0]
    return "\n".join([embed.get("description", ""), *(field["value"] for field in embed.get("fields", []))])


async def test_an_unanswered_group_attached_on_the_queue_page_is_answered_by_ask(dash: Dashboard):
    before = await dash.ask(UNKNOWN)
    await dash.ask(UNKNOWN)
    assert before["embeds"][0]["title"] != dash.harness.services.store.current.topics["cmo-skills"].title.nl
    await dash.harness.services.writer.flush()
    page = await dash.logged_in(dash.people.moderator)
    await page.goto(f"/g/{dash.home_id}/queue")
    group = page.locator("li.group", has_text=UNKNOWN)
    await expect(group).to_contain_text("2 keer gesteld")
    await group.get_by_label("Koppelen aan").select_option("cmo-skills")
    await group.get_by_role("button", name="Koppelen").click()
    await expect(page.get_by_role("status")).to_contain_text("Gekoppeld")
    await expect(page.locator("li.group", has_text=UNKNOWN)).to_have_count(0)
    after = await dash.ask(UNKNOWN)
    assert after["embeds"][0]["title"] == dash.harness.services.store.current.topics["cmo-skills"].title.nl


NEW_TEXT = "Plan elk kwartaal een journey-review met sales, service en het AI-team."


async def test_a_section_edited_in_the_editor_is_previewed_saved_answered_and_reverted(dash: Dashboard):
    old_text = dash.harness.services.store.current.topics["dual-customer-journeys"].sections[1].text.nl
    page = await dash.logged_in(dash.people.moderator)
    await page.goto(f"/g/{dash.home_id}/topics/dual-customer-journeys")
    preview = page.locator("#embed-preview")
    await expect(preview).to_contain_text(old_text)
    await page.locator("#f-sections-1-text-nl").fill(NEW_TEXT)
    # The live preview (editor.js) shows the new text before anything is saved.
    await expect(preview.locator("section[lang='nl']")).to_contain_text(NEW_TEXT)
    assert old_text in field_values(await dash.ask("twee klantreizen"))
    await page.get_by_label("Waarom deze wijziging?").fill("scherper advies")
    await page.get_by_role("button", name="Opslaan en live zetten").click()
    await expect(page.get_by_role("status")).to_contain_text("Opgeslagen en meteen live")
    assert NEW_TEXT in field_values(await dash.ask("twee klantreizen"))

    await page.get_by_role("link", name="Geschiedenis").click()
    first = page.locator("li.revision").first
    await expect(first).to_contain_text("scherper advies")
    await expect(first.locator(".diff-added")).to_contain_text(NEW_TEXT)
    await expect(first.locator(".diff-removed")).to_contain_text(old_text[:40])
    await page.get_by_role("button", name="Terug naar de versie uit de bestanden").click()
    await expect(page.get_by_role("status")).to_contain_text("Teruggezet")
    answer = field_values(await dash.ask("twee klantreizen"))
    assert old_text in answer and NEW_TEXT not in answer


async def test_a_field_error_is_shown_at_the_field_and_nothing_changes(dash: Dashboard):
    page = await dash.logged_in(dash.people.moderator)
    await page.goto(f"/g/{dash.home_id}/topics/dual-customer-journeys")
    await page.locator("#f-title-nl").fill("")
    await page.get_by_role("button", name="Opslaan en live zetten").click()
    title = page.locator("#f-title-nl")
    await expect(title).to_have_attribute("aria-invalid", "true")
    await expect(page.locator(".error-summary")).to_be_visible()
    assert dash.harness.services.store.current.topics["dual-customer-journeys"].title.nl


async def test_a_form_posted_without_the_csrf_token_is_refused(dash: Dashboard):
    page = await dash.logged_in(dash.people.moderator)
    await page.goto(f"/g/{dash.home_id}/tips")
    channel = page.get_by_label("Kanaal")
    await channel.select_option(index=1)
    await page.locator("form.tips-form input[name='csrf']").evaluate("input => input.remove()")
    async with page.expect_response(lambda r: r.request.method == "POST") as posted:
        await page.get_by_role("button", name="Opslaan").click()
    assert (await posted.value).status == 403
    await expect(page.get_by_role("heading", name="Geen toegang")).to_be_visible()
    await expect(page.locator("main")).to_contain_text("Er is niets gewijzigd")
    assert await dash.harness.services.tip_schedules.get(dash.home_id) is None


async def test_a_question_with_a_script_tag_is_shown_as_text(dash: Dashboard):
    hostile = "<script>document.title='pwned'</script><img src=x onerror=alert(1)> wie betaalt de koffie?"
    await dash.ask(hostile)
    await dash.harness.services.writer.flush()
    page = await dash.logged_in(dash.people.moderator)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: dialogs.append(dialog.message))
    await page.goto(f"/g/{dash.home_id}/queue")
    shown = page.locator("li.group q").filter(has_text="wie betaalt de koffie")
    await expect(shown).to_contain_text("<script>document.title='pwned'</script>")
    assert await page.locator("li.group q script, li.group q img").count() == 0
    assert await page.title() != "pwned" and not dialogs


async def test_the_tips_page_sets_a_schedule_that_tips_status_shows(dash: Dashboard):
    page = await dash.logged_in(dash.people.moderator)
    await page.goto(f"/g/{dash.home_id}/tips")
    await page.get_by_label("Kanaal").select_option(index=1)
    await page.get_by_label("Tijd", exact=True).fill("08:30")
    await page.get_by_label("Dagen").fill("mon,wed,fri")
    await page.get_by_label("Tijdzone").fill("Europe/Brussels")
    await page.get_by_label("Taal van de tips").select_option("en")
    await page.get_by_role("button", name="Opslaan").click()
    await expect(page.get_by_role("status")).to_contain_text("Het schema is opgeslagen")
    await expect(page.locator(".facts")).to_contain_text("08:30")
    interaction = await dash.fake.slash_command("cmo-admin tips-status", member_permissions=0x20)
    await interaction.response()
    status = await interaction.original()
    schedule = status["embeds"][0]["fields"][0]["value"]
    assert "08:30" in schedule and "Europe/Brussels" in schedule


async def test_a_new_topic_started_from_a_group_answers_it_and_can_be_retired_and_brought_back(dash: Dashboard):
    await dash.ask(UNKNOWN)
    await dash.harness.services.writer.flush()
    page = await dash.logged_in(dash.people.moderator)
    await page.goto(f"/g/{dash.home_id}/queue")
    await page.locator("li.group", has_text=UNKNOWN).get_by_role("link", name="Nieuw onderwerp").click()
    await expect(page.locator("#f-aliases-nl")).to_have_value(UNKNOWN)  # the question is its first alias
    fields = {
        "#f-id": "koffie-op-de-afdeling",
        "#f-title-nl": "Koffie op de marketingafdeling",
        "#f-title-en": "Coffee in the marketing team",
        "#f-summary-nl": "Wat het team drinkt, staat niet in de bronnen van cmo-bot.",
        "#f-summary-en": "What the team drinks is not in cmo-bot's sources.",
        "#f-body-nl": "Een proef-onderwerp, aangemaakt vanuit de wachtrij.",
        "#f-body-en": "A trial topic, made from the queue.",
        "#f-sources-0-title": "Interne notitie",
        "#f-sources-0-publisher": "Marketingteam",
        "#f-sources-0-date": "2026-12-01",
    }
    for selector, value in fields.items():
        await page.locator(selector).fill(value)
    await page.locator("#f-category").select_option("cmo-role")
    await expect(page.locator("#embed-preview section[lang='en']")).to_contain_text("Coffee in the marketing team")
    await page.get_by_role("button", name="Aanmaken en live zetten").click()
    await expect(page.get_by_role("status")).to_contain_text("Het nieuwe onderwerp staat live")
    assert (await dash.ask(UNKNOWN))["embeds"][0]["title"] == "Koffie op de marketingafdeling"

    await page.get_by_role("button", name="Uit gebruik nemen").click()
    await expect(page.get_by_role("status")).to_contain_text("uit gebruik genomen")
    assert (await dash.ask(UNKNOWN))["embeds"][0]["title"] != "Koffie op de marketingafdeling"
    await page.get_by_role("link", name="koffie-op-de-afdeling").click()
    await page.get_by_role("button", name="Versie 1 terugzetten").click()
    await expect(page.get_by_role("status")).to_contain_text("Teruggezet")
    assert (await dash.ask(UNKNOWN))["embeds"][0]["title"] == "Koffie op de marketingafdeling"


async def test_an_english_browser_gets_english_pages_and_can_switch_to_dutch(dash: Dashboard):
    page = await dash.logged_in(dash.people.moderator, locale="en-US")
    await expect(page.get_by_role("heading", name="Your servers")).to_be_visible()
    await page.goto(f"/g/{dash.home_id}")
    await expect(page.get_by_role("heading", name="What your team asks")).to_be_visible()
    await page.get_by_role("link", name="Nederlands").click()
    await expect(page.get_by_role("heading", name="Wat je team vraagt")).to_be_visible()
    await page.goto(f"/g/{dash.home_id}/queue")
    await expect(page.get_by_role("heading", name="Onbeantwoorde vragen")).to_be_visible()


async def test_the_main_pages_fit_a_phone_and_work_from_the_keyboard(dash: Dashboard):
    await dash.ask(UNKNOWN)
    await dash.harness.services.writer.flush()
    page = await dash.logged_in(dash.people.moderator, viewport=PHONE)
    for path in ("", "/queue", "/topics", "/topics/what-is-a-cmo", "/topics/what-is-a-cmo/history", "/tips", "/export"):
        await page.goto(f"/g/{dash.home_id}{path}")
        width = await page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{path or '/'} scrolls sideways on a phone: {width}px"
    # Keyboard only: the skip link comes first, then a queue group can be attached.
    await page.goto(f"/g/{dash.home_id}/queue")
    await page.keyboard.press("Tab")
    await expect(page.get_by_role("link", name="Naar de inhoud")).to_be_focused()
    select = page.locator("li.group", has_text=UNKNOWN).get_by_label("Koppelen aan")
    await select.focus()
    await select.select_option("cmo-skills")
    await page.keyboard.press("Tab")
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("status")).to_contain_text("Gekoppeld")


async def test_the_403_page_says_who_is_logged_in_and_lets_them_log_out(dash: Dashboard):
    page = await dash.logged_in(dash.people.member)
    await page.goto(f"/g/{dash.home_id}/tips")
    await expect(page.get_by_role("heading", name="Geen toegang")).to_be_visible()
    await expect(page.locator("header .user")).to_have_text("Lid")
    await page.get_by_role("button", name="Uitloggen").click()
    await expect(page.get_by_role("link", name="Inloggen met Discord")).to_be_visible()
    await expect(page.locator("header .user")).to_have_count(0)


async def test_without_javascript_the_preview_is_a_button_and_saving_still_works(dash: Dashboard):
    page = await dash.logged_in(dash.people.moderator, javascript=False)
    await page.goto(f"/g/{dash.home_id}/topics/dual-customer-journeys")
    await page.locator("#f-sections-1-text-nl").fill(NEW_TEXT)
    await page.get_by_role("button", name="Voorbeeld bekijken").click()
    await expect(page.locator("#embed-preview section[lang='nl']")).to_contain_text(NEW_TEXT)
    await expect(page.locator("#f-sections-1-text-nl")).to_have_value(NEW_TEXT)  # what was typed stays
    assert NEW_TEXT not in field_values(await dash.ask("twee klantreizen"))  # a preview saves nothing
    await page.get_by_role("button", name="Opslaan en live zetten").click()
    await expect(page.get_by_role("status")).to_contain_text("Opgeslagen en meteen live")
    assert NEW_TEXT in field_values(await dash.ask("twee klantreizen"))
