"""Screenshots of the moderators' dashboard for the README: `python -m tests.web_screenshots`.

It starts the dashboard exactly as the browser tests do (tests/web_harness.py: the real bot
process with the dashboard, the fake Discord doing the login, Debian's chromium), except that
the bot runs on a ManualClock, so the questions it fills in can be spread over a month.
Then it photographs each main page at desktop width (1280) and phone width (390), full page,
into docs/screenshots/<page>-<desktop|phone>.png.

It also guards the layout: a page wider than the phone's screen (horizontal scrolling) or an
element with an inline style attribute (which the CSP would refuse) makes the run exit non-zero,
after all pictures are taken. Pass page names to take only those: `... web_screenshots queue tips`.

The pictures look as in the README with Debian's fonts-noto-core and fonts-noto-color-emoji
installed (without them chromium falls back to DejaVu, and 👍 shows as a box).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PIL import Image
from playwright.async_api import Page
from playwright.async_api import TimeoutError as PlaywrightTimeout

from bot.clock import ManualClock
from tests.fake_discord.models import make_guilds
from tests.fake_discord.server import FakeDiscord
from tests.web_harness import DESKTOP, PHONE, Dashboard, running_dashboard

OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
DAYS_BACK = 29
EDITED_TOPIC = "dual-customer-journeys"
WIDTHS = {"desktop": DESKTOP, "phone": PHONE}

# What a marketing team asks over a month: mostly covered, some best guesses, some not yet.
ANSWERED_NL = (
    "Wat doet een CMO eigenlijk?",
    "Welke vaardigheden heeft een CMO nodig?",
    "Zit de CMO in het managementteam?",
    "Wat zegt Gartner over generatieve AI en de CMO?",
    "Hoe zorg je dat klanten terugkomen?",
    "Wie maakt de marketingstrategie?",
    "Wat is de klantaandachtscrisis?",
    "Levert AI eigenlijk wel wat op?",
    "Waar staat CMO voor?",
    "Wie bewaakt de tone of voice?",
    "Hoe gebruikt de CMO data?",
    "Wat doet een CFO?",
)
ANSWERED_EN = (
    "What does a CMO do?",
    "What is agentic buying?",
    "Which departments does the CMO work with?",
    "Who runs the marketing campaigns?",
    "What is the AI value gap?",
)
GUESSED = (
    "Wat is het verschil tussen een CMO en een CIO?",
    "How do hybrid human and AI teams work?",
    "Wat is een customer journey map?",
)
UNANSWERED = (  # (question, how often in a week)
    ("Welke koffie drinkt de marketingafdeling het liefst?", 2),
    ("Hoeveel verdient een CMO gemiddeld in Nederland?", 3),
    ("Which CRM should a ten-person startup pick?", 2),
    ("Mag ik ChatGPT gebruiken voor klantdata onder de AVG?", 2),
    ("How do I get budget approved for a podcast?", 2),
    ("Wie betaalt de lunch bij de kwartaalreview?", 1),
)
# A miss after which people open the topic they meant: the bot proposes it as an alias.
MISSED_THEN_OPENED = ("Hoe bouw ik klantloyaliteit op?", "customer-loyalty")


def question_mix(day: int, weekend: bool) -> list[str]:
    """The questions of one day (0 = the oldest): a few more each week, quieter at weekends."""
    count = 1 if weekend else 3 + day // 8 + (day % 3)
    pool = ANSWERED_NL + ANSWERED_EN
    picked = [pool[(day * 5 + i) % len(pool)] for i in range(count)]
    if not weekend and day % 2:
        picked.append(GUESSED[day % len(GUESSED)])
    for text, times in UNANSWERED:
        if not weekend and (day + len(text)) % 7 < times:
            picked.append(text)
    return picked


async def ask(dash: Dashboard, text: str, user: int) -> dict:
    interaction = await dash.fake.slash_command("ask", options={"question": text}, user=user)
    await interaction.response()
    return await interaction.original()


async def rate(dash: Dashboard, message: dict, rating: str, user: int) -> None:
    """Clicks 👍 or 👎 under an answer, as a team member would."""
    for row in message.get("components", []):
        for button in row.get("components", []):
            custom_id = button.get("custom_id", "")
            if custom_id.startswith(f"cmo:fb:{rating}:"):
                await (await dash.fake.button_click(int(message["id"]), custom_id, user=user)).response()
                return


async def fill_history(dash: Dashboard, clock: ManualClock, now: datetime) -> None:
    """Questions asked over DAYS_BACK days, a few answers rated."""
    user = 9000
    for day in range(DAYS_BACK + 1):
        await clock.set(now - timedelta(days=DAYS_BACK - day))
        for index, text in enumerate(question_mix(day, weekend=clock.now().weekday() >= 5)):
            user += 1
            message = await ask(dash, text, user)
            if index < 2 and day % 2 == 0:  # some readers rate the answer, mostly 👍
                await dash.harness.services.writer.flush()
                await rate(dash, message, "down" if (day + index) % 6 == 0 else "up", user)
        if day in (DAYS_BACK - 6, DAYS_BACK - 3, DAYS_BACK - 1):
            user += 1
            await missed_then_opened(dash, user)
        await dash.harness.services.writer.flush()


async def missed_then_opened(dash: Dashboard, user: int) -> None:
    question, topic = MISSED_THEN_OPENED
    await ask(dash, question, user)
    await (await dash.fake.slash_command("explain", options={"topic": topic}, user=user)).response()


async def log_in(dash: Dashboard, user: dict, viewport: dict[str, int]) -> Page:
    """Dashboard.logged_in, for a person who may have consented before: Discord then skips
    its consent page."""
    page = await dash.page(viewport=viewport)
    dash.fake.oauth_login_as(user)
    await page.goto("/login")
    consent = page.locator("button[value='authorize']")
    with contextlib.suppress(PlaywrightTimeout):  # consented before: Discord redirects at once
        await consent.click(timeout=2_000)
    await page.wait_for_url(f"{dash.base_url}/")
    return page


EDITS = (  # (field, new text, reason): two saved edits, so the history has diffs and a revert
    (
        "#f-sections-1-text-nl",
        "Plan elk kwartaal een journey-review met sales, service en het AI-team: "
        "welke stappen zet de klant zelf, en welke laat hij aan een AI-agent over?",
        "scherper advies na de teamdag",
    ),
    (
        "#f-sections-1-text-en",
        "Plan a journey review with sales, service and the AI team every quarter: "
        "which steps does the customer take, and which do they leave to an AI agent?",
        "Engelse tekst gelijkgetrokken",
    ),
)


async def moderator_edits(page: Page, dash: Dashboard) -> None:
    """Saves EDITS in the editor, as a moderator would."""
    for selector, text, reason in EDITS:
        await page.goto(f"/g/{dash.home_id}/topics/{EDITED_TOPIC}")
        await page.locator(selector).fill(text)
        await page.get_by_label("Waarom deze wijziging?").fill(reason)
        await page.get_by_role("button", name="Opslaan en live zetten").click()
        await page.get_by_role("status").wait_for()


async def moderator_sets_tips(page: Page, dash: Dashboard) -> None:
    await page.goto(f"/g/{dash.home_id}/tips")
    await page.get_by_label("Kanaal").select_option(index=1)
    await page.get_by_label("Tijd", exact=True).fill("08:30")
    await page.get_by_label("Dagen").fill("mon,wed,fri")
    await page.get_by_label("Tijdzone").fill("Europe/Amsterdam")
    await page.get_by_role("button", name="Opslaan").click()
    await page.get_by_role("status").wait_for()


async def layout_problems(page: Page, name: str, width: int) -> list[str]:
    """Horizontal page scroll, or an inline style attribute: what must never ship."""
    problems = []
    scroll = await page.evaluate("document.documentElement.scrollWidth")
    if scroll > width:
        wide = await page.evaluate(
            """w => {
                 const clipped = e => { for (let a = e.parentElement; a; a = a.parentElement) {
                   if (getComputedStyle(a).overflowX !== 'visible') return a !== document.body
                     && a !== document.documentElement; } return false; };
                 return [...document.querySelectorAll('body *')]
                   .filter(e => e.getBoundingClientRect().right > w + 0.5 && !clipped(e))
                   .slice(0, 6).map(e => e.tagName.toLowerCase() + '.' + e.getAttribute('class'));
               }""",
            width,
        )
        problems.append(f"{name}: the page is {scroll}px wide at {width}px; too wide: {', '.join(wide)}")
    styled = await page.locator("[style]").count()
    if styled:
        problems.append(f"{name}: {styled} element(s) with an inline style attribute (the CSP refuses them)")
    return problems


@dataclass
class Album:
    """The pictures taken, and the layout problems seen on the way (reported at the end)."""

    saved: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    async def shoot(self, page: Page, name: str, width_name: str) -> None:
        """The full page as a PNG, after checking its layout."""
        await page.evaluate("document.fonts.ready")
        self.problems += await layout_problems(page, f"{name}-{width_name}", WIDTHS[width_name]["width"])
        path = OUT / f"{name}-{width_name}.png"
        await page.screenshot(path=str(path), full_page=True)
        shrink(path)
        self.saved.append(path)


def shrink(path: Path) -> None:
    """256 colours are plenty for flat UI (a third of the bytes in git); octree keeps the rare
    accent colours that median cut would shift."""
    with Image.open(path) as shot:
        small = shot.convert("RGB").quantize(colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    small.save(path, optimize=True)


Visit = Callable[[Page], Awaitable[None]]


def visits(dash: Dashboard) -> dict[str, Visit]:
    g = f"/g/{dash.home_id}"

    async def editor(page: Page) -> None:
        await page.goto(f"{g}/topics/{EDITED_TOPIC}")
        await page.locator("#f-title-nl").fill("Twee klantreizen: mensen én AI-agenten")
        await page.locator("#embed-preview section[lang='nl']").get_by_text("mensen én AI-agenten").wait_for()
        await page.locator("#f-title-nl").blur()

    return {
        "overview": lambda page: page.goto(g),
        "queue": lambda page: page.goto(f"{g}/queue"),
        "topics": lambda page: page.goto(f"{g}/topics"),
        "editor": editor,
        "history": lambda page: page.goto(f"{g}/topics/{EDITED_TOPIC}/history"),
        "tips": lambda page: page.goto(f"{g}/tips"),
        "export": lambda page: page.goto(f"{g}/export"),
    }


async def photograph(dash: Dashboard, only: set[str] | None) -> Album:
    album = Album()

    def wanted(name: str) -> bool:
        return only is None or name in only

    for width_name, viewport in WIDTHS.items():
        if wanted("landing"):
            page = await dash.page(viewport=viewport)
            await page.goto("/")
            await album.shoot(page, "landing", width_name)
            await page.context.close()
        moderator = await log_in(dash, dash.people.moderator, viewport)
        if wanted("servers"):
            await album.shoot(moderator, "servers", width_name)
        for name, visit in visits(dash).items():
            if wanted(name):
                await visit(moderator)
                await album.shoot(moderator, name, width_name)
        await moderator.context.close()
        if wanted("forbidden"):
            member = await log_in(dash, dash.people.member, viewport)
            await member.goto(f"/g/{dash.home_id}")
            await album.shoot(member, "forbidden", width_name)
            await member.context.close()
    return album


async def main(only: set[str] | None) -> Album:
    OUT.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC) - timedelta(minutes=5)
    clock = ManualClock(now - timedelta(days=DAYS_BACK))
    with tempfile.TemporaryDirectory(prefix="cmo-shots-") as tmp:
        async with (
            FakeDiscord(guilds=make_guilds(2)) as fake,
            running_dashboard(fake, Path(tmp), clock=clock) as dash,
        ):
            await fill_history(dash, clock, now)
            await clock.set(datetime.now(UTC))
            setup = await dash.logged_in(dash.people.moderator)
            await moderator_edits(setup, dash)
            await moderator_sets_tips(setup, dash)
            await setup.context.close()
            return await photograph(dash, only)


def run() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("pages", nargs="*", help="only these pages (landing, servers, overview, ...)")
    args = parser.parse_args()
    album = asyncio.run(main(set(args.pages) or None))
    for path in album.saved:
        print(path.relative_to(OUT.parents[1]))
    if album.problems:
        raise SystemExit("layout problems:\n" + "\n".join(album.problems))


if __name__ == "__main__":
    run()
