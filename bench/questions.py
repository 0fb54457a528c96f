"""Questions for the benchmarks: the evaluation set repeated, or thousands of distinct ones.

`distinct_questions()` combines Dutch and English phrasings with subjects (the CMO role, AI,
Gartner, other C-level roles, off-topic matters) and keeps only questions that differ after
the search's own normalisation (`bot.knowledge.text.tokens`), because that is the answer
cache's key: two questions that differ only in case or punctuation would hit the cache. The
order is shuffled with a fixed seed so that in-scope, off-topic, Dutch and English mix
throughout a run.
"""

from __future__ import annotations

import random
from pathlib import Path

import yaml

from bot.knowledge.text import tokens

ROOT = Path(__file__).resolve().parents[1]
EVAL_QUESTIONS = ROOT / "tests" / "eval" / "questions.yaml"

NL_TEMPLATES = (
    "Wat doet {s}?",
    "Wat is de rol van {s}?",
    "Hoe werkt {s} in de praktijk?",
    "Kun je uitleggen wat {s} betekent?",
    "Waarom is {s} belangrijk voor ons bedrijf?",
    "Wat zegt Gartner over {s}?",
    "Hoe begin ik met {s}?",
    "Wat zijn de valkuilen van {s}?",
    "Welke rol speelt AI bij {s}?",
    "Hoe meet je het succes van {s}?",
    "Wie is verantwoordelijk voor {s}?",
    "Wat moet een CMO weten over {s}?",
    "Hoe verhoudt {s} zich tot de CEO?",
    "Heb je tips over {s}?",
    "Wat is het verschil tussen {s} en merkstrategie?",
    "Is {s} iets voor een klein team?",
    "Hoe leg ik {s} uit aan de directie?",
    "Wat kost {s} ongeveer?",
    "Welke vaardigheden horen bij {s}?",
    "Hoe ziet {s} eruit over vijf jaar?",
)
EN_TEMPLATES = (
    "What does {s} do?",
    "What is the role of {s}?",
    "How does {s} work in practice?",
    "Can you explain {s}?",
    "Why does {s} matter for a B2B company?",
    "What does Gartner say about {s}?",
    "How do I get started with {s}?",
    "What are common mistakes with {s}?",
    "How is AI changing {s}?",
    "How do you measure {s}?",
    "Who owns {s} in the C-suite?",
    "What should a CMO know about {s}?",
    "How does {s} relate to the CEO's agenda?",
    "Any tips on {s}?",
    "Is {s} worth it for a small team?",
    "How do I pitch {s} to the board?",
    "What skills does {s} need?",
    "What will {s} look like in five years?",
    "What budget does {s} usually get?",
    "Where does {s} fit in the org chart?",
)
NL_SUBJECTS = (
    "een CMO", "de marketingdirecteur", "een chief marketing officer", "de CEO", "een CFO", "de COO",
    "een CTO", "een CIO", "de CHRO", "een chief digital officer", "een chief data officer", "de CSO",
    "een chief revenue officer", "generatieve AI", "AI in marketing", "marketingautomatisering",
    "een AI-assistent voor content", "de Gartner hype cycle", "het Gartner Magic Quadrant",
    "de B2B-koopreis", "klantreizen", "merkpositionering", "de marketingbegroting", "leadgeneratie",
    "account-based marketing", "de samenwerking tussen sales en marketing", "klantdata",
    "privacy en de AVG", "personalisatie", "contentmarketing", "marketingattributie",
    "het marketingteam", "digitale transformatie", "growth hacking", "prijsstrategie",
    "productmarketing", "employer branding", "social media", "zoekmachineoptimalisatie",
    "e-mailmarketing", "het weer in Amsterdam", "een recept voor appeltaart", "voetbal",
    "de belastingaangifte", "vakantie in Italië", "mijn fiets repareren", "de huizenmarkt",
    "een goed boek", "Bitcoin", "een nieuwe laptop", "een podcast starten",
)
EN_SUBJECTS = (
    "the CMO", "a chief marketing officer", "the marketing director", "the CEO", "a CFO", "the COO", "a CTO",
    "the CIO", "a CHRO", "a chief digital officer", "the chief data officer", "a CSO", "the chief revenue officer",
    "generative AI",
    "AI for marketing", "marketing automation", "an AI content assistant", "the Gartner hype cycle",
    "the Gartner Magic Quadrant", "the B2B buying journey", "customer journeys", "brand positioning",
    "the marketing budget", "lead generation", "account-based marketing", "sales and marketing alignment",
    "customer data", "GDPR compliance", "personalization", "content marketing", "marketing attribution",
    "the marketing team", "digital transformation", "growth hacking", "pricing strategy",
    "product marketing", "employer branding", "social media", "SEO", "email marketing",
    "the weather in London", "an apple pie recipe", "football", "filing taxes", "a holiday in Italy",
    "fixing my bike", "the housing market", "a good book", "Bitcoin", "a new laptop", "starting a podcast",
)


def repeated_questions() -> list[str]:
    """The evaluation set's questions (a few hundred, cycled): the answer cache decides most."""
    data = yaml.safe_load(EVAL_QUESTIONS.read_text(encoding="utf-8"))
    return [item["q"] for item in data["in_scope"] + data["off_topic"]]


def distinct_questions(seed: int = 10) -> list[str]:
    """About 2,000 questions, no two with the same answer-cache key and none with the key of an
    evaluation question (the benchmarks warm up on those), in a fixed random order."""
    seen = {" ".join(tokens(question)) for question in repeated_questions()}  # the warm-up's
    result: list[str] = []
    for templates, subjects in ((NL_TEMPLATES, NL_SUBJECTS), (EN_TEMPLATES, EN_SUBJECTS)):
        for template in templates:
            for subject in subjects:
                question = template.format(s=subject)
                key = " ".join(tokens(question))
                if key not in seen:
                    seen.add(key)
                    result.append(question)
    random.Random(seed).shuffle(result)
    return result
