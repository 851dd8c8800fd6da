"""The message catalogs under locale/: complete, consistent with their English, and compiled.

Every language in LANGUAGES (the public ones and those waiting for a community review) must have
every entry translated, none fuzzy, with the same placeholders and markup as the English and the
hotline's numbers exactly as they are, and its committed .mo must match its .po (``make messages``
rebuilds both). Runs without GNU gettext: polib reads both files.
"""

import re
from pathlib import Path

import django
import polib
import pytest
import rest_framework
from django.conf import settings

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
FRAMEWORK_MESSAGES = "common/framework_messages.py"
TRANSLATED = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
PLURAL_FORMS = {
    "es": "nplurals=2; plural=(n != 1);",
    "so": "nplurals=2; plural=(n != 1);",
    "hmn": "nplurals=1; plural=0;",
}
# Numbers a translation must keep exactly: the emergency number and the national hotline's.
HOTLINE_NUMBERS = ("911", "1-888-373-7888", "233733")
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|\{[a-z_]+(?::[^}]*)?\}")
MARKUP = re.compile(r"</?[a-z]+(?: [^>]*)?>")


def catalog(code: str) -> polib.POFile:
    return polib.pofile(str(LOCALE_DIR / code / "LC_MESSAGES" / "django.po"))


def translations(entry: polib.POEntry) -> list[str]:
    return list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]


def _key(entry) -> tuple[str, str]:
    return (entry.msgctxt or "", entry.msgid)


@pytest.mark.parametrize("code", TRANSLATED)
def test_catalog_has_every_entry_translated_and_none_fuzzy(code):
    po = catalog(code)

    assert len(po) > 500
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []
    assert [e.msgid for e in po.obsolete_entries()] == []
    assert not po.metadata_is_fuzzy
    assert (po.metadata["Language"], po.metadata["Plural-Forms"]) == (code, PLURAL_FORMS[code])


@pytest.mark.parametrize("code", TRANSLATED)
def test_catalog_entries_have_one_translation_per_plural_form(code):
    forms = int(re.search(r"nplurals=(\d+)", PLURAL_FORMS[code])[1])

    wrong = [e.msgid for e in catalog(code) if e.msgid_plural and len(e.msgstr_plural) != forms]

    assert wrong == []


@pytest.mark.parametrize("code", TRANSLATED)
def test_catalog_translations_keep_placeholders_and_markup(code):
    mismatches = []
    for entry in catalog(code):
        expected = (sorted(PLACEHOLDER.findall(entry.msgid)), sorted(MARKUP.findall(entry.msgid)))
        for text in translations(entry):
            found = (sorted(PLACEHOLDER.findall(text)), sorted(MARKUP.findall(text)))
            # A plural's singular may leave the count out (Hmong has one form, so it always keeps it).
            if found != expected and not (entry.msgid_plural and set(found[0]) <= set(expected[0])):
                mismatches.append((entry.msgid, text))

    assert mismatches == []


@pytest.mark.parametrize("code", TRANSLATED)
def test_catalog_keeps_the_hotline_and_emergency_numbers(code):
    entries = [e for e in catalog(code) if any(number in e.msgid for number in HOTLINE_NUMBERS)]

    missing = [
        (e.msgid, number) for e in entries for number in HOTLINE_NUMBERS if number in e.msgid and number not in e.msgstr
    ]

    assert len(entries) == 5  # the footer, the emails and error page, the survey help box (three)
    assert missing == []


@pytest.mark.parametrize("code", TRANSLATED)
def test_compiled_catalog_matches_its_source(code):
    po = catalog(code)
    mo = polib.mofile(str(LOCALE_DIR / code / "LC_MESSAGES" / "django.mo"))

    compiled = {_key(e): translations(e) for e in mo if e.msgid}
    source = {_key(e): translations(e) for e in po.translated_entries()}

    assert compiled == source, "run `make messages` (or compilemessages) and commit the .mo file"


@pytest.mark.parametrize("code", TRANSLATED)
def test_catalog_entries_ambiguous_in_english_carry_a_translator_note(code):
    """Short labels that could mean several things have a context or a comment for the translator."""
    ambiguous = {"When", "Where", "Link", "Place", "Contact", "Details", "Length", "Sent", "Send", "Request", "Main"}

    without_note = [e.msgid for e in catalog(code) if e.msgid in ambiguous and not (e.comment or e.msgctxt)]

    assert without_note == []


def test_every_language_has_a_catalog_and_the_public_ones_are_among_them():
    assert sorted(path.name for path in LOCALE_DIR.iterdir() if path.is_dir()) == sorted(TRANSLATED)
    assert set(settings.PUBLIC_LANGUAGES) <= {code for code, _name in settings.LANGUAGES}


def test_framework_messages_are_the_frameworks_own():
    """Each message repeated from Django or REST framework must be the msgid they use, or it would never apply."""
    known = set()
    for package in (django, rest_framework):  # REST framework ships only compiled catalogs
        for mo_path in Path(package.__file__).parent.rglob("locale/es/LC_MESSAGES/django.mo"):
            known |= {_key(e) for e in polib.mofile(str(mo_path))}
    ours = [_key(e) for e in catalog("es") if any(path == FRAMEWORK_MESSAGES for path, _line in e.occurrences)]

    assert [key for key in ours if key not in known] == []
    assert len(ours) == 92
