"""Data for the language tests: the catalog's texts in every language (the fixtures are in tests/conftest.py)."""

ALL_LANGUAGES = ["en", "es", "so", "hmn"]

# The catalog's own texts, per language (what staff type in the admin).
TITLES = {
    "en": "Online Recruitment and Youth Safety",
    "es": "El reclutamiento en línea y la seguridad de los jóvenes",
    "so": "Shaqaaleysiinta online-ka iyo badbaadada dhallinyarada",
    "hmn": "Kev ntxias hauv online thiab kev nyab xeeb ntawm cov hluas",
}
SUMMARIES = {
    "en": "How traffickers use apps and games to reach young people.",
    "es": "Cómo los tratantes usan aplicaciones y juegos para llegar a los jóvenes.",
    "so": "Sida ka-ganacsatada dadku u isticmaalaan apps iyo ciyaaro si ay u gaaraan dhallinyarada.",
    "hmn": "Cov neeg muag neeg siv cov app thiab kev ua si li cas los nrhiav cov hluas.",
}
DESCRIPTIONS = {
    "en": "For parents and caregivers.",
    "es": "Para madres, padres y cuidadores.",
    "so": "Waalidiinta iyo daryeelayaasha.",
    "hmn": "Rau niam txiv thiab cov neeg saib xyuas.",
}
AUDIENCE_NAMES = {
    "en": "Parents and caregivers",
    "es": "Madres, padres y cuidadores",
    "so": "Waalidiinta iyo daryeelayaasha",
    "hmn": "Niam txiv thiab cov neeg saib xyuas",
}
LANGUAGE_NAMES = {
    "en": {"en": "English", "es": "inglés", "so": "Ingiriisi", "hmn": "Lus Askiv"},
    "es": {"en": "Spanish", "es": "español", "so": "Isbaanish", "hmn": "Lus Mev"},
}


def translated(field: str, texts: dict[str, str]) -> dict[str, str]:
    return {f"{field}_{code}": text for code, text in texts.items()}
