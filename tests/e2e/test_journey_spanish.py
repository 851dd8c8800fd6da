"""A request in Spanish from start to end in a real browser: the visitor switches the site to Spanish with
the keyboard, finds a presentation, fixes a mistake the form reports in Spanish, checks the summary and
sends it; the emails come in Spanish; once staff schedule it the status page shows the Spanish date.
Every page is checked with axe and photographed at phone and desktop widths."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from outreach.enums import Format
from outreach.models import Audience, Language, Presentation, PresentationRequest
from scheduling.models import Presenter
from scheduling.services import review
from tests.e2e.conftest import check_page
from tests.factories import AudienceFactory, LanguageFactory, PresentationFactory

pytestmark = pytest.mark.django_db(transaction=True)

ES_DAYS = ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"]
ES_MONTHS = "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre".split()
TITLE_ES = "Reconocer y responder: escuelas"


@pytest.fixture
def spanish_catalog():
    educators = AudienceFactory(name="Educators and school staff", slug="educators")
    Audience.objects.filter(pk=educators.pk).update(name_es="Personal docente y escolar")
    english = LanguageFactory(code="en", name="English")
    spanish = LanguageFactory(code="es", name="Spanish")
    Language.objects.filter(pk=english.pk).update(name_es="inglés")
    Language.objects.filter(pk=spanish.pk).update(name_es="español")
    schools = PresentationFactory(
        title="Recognizing and Responding: Schools",
        slug="recognize-respond-schools",
        audiences=[educators],
        languages=[english, spanish],
    )
    Presentation.objects.filter(pk=schools.pk).update(
        title_es=TITLE_ES,
        summary_es="Para docentes, consejeros y personal escolar: las señales y qué hacer.",
        description_es="Una presentación para escuelas.",
    )
    presenter = Presenter.objects.create(name="Ana Lindqvist", email="ana@presenters.test")
    presenter.presentations.add(schools)
    presenter.languages.add(spanish)
    return schools


def test_request_in_spanish_from_the_switcher_to_the_scheduled_status(page, live_server, spanish_catalog, staff_user):
    day = timezone.localdate() + timedelta(days=30)
    spanish_day = f"{ES_DAYS[day.weekday()]}, {day.day} de {ES_MONTHS[day.month - 1]} de {day.year}"

    # The visitor's browser asks for English; they switch to Spanish with the keyboard.
    page.goto(page.base + "/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    switch = page.get_by_role("form", name="Site language").get_by_role("button", name="Español")
    assert switch.get_attribute("lang") == "es"
    switch.focus()
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("form", name="Idioma del sitio").locator('[aria-current="true"]')).to_have_text("Español")
    check_page(page, "journey-es-home")

    # ... finds the presentation ...
    page.get_by_role("button", name="Vea las presentaciones y solicite una").click()
    page.get_by_label("Público", exact=True).select_option(label="Personal docente y escolar")
    page.get_by_role("button", name="Mostrar presentaciones").click()
    expect(page.locator(".cards article h3")).to_have_text([TITLE_ES])
    check_page(page, "journey-es-catalog")
    page.get_by_role("link", name=TITLE_ES).first.click()
    expect(page.locator("main dl")).to_contain_text("español, inglés")  # in Spanish alphabetical order
    check_page(page, "journey-es-presentation")
    page.get_by_role("button", name="Solicitar esta presentación").click()
    check_page(page, "journey-es-form")

    # ... fills in the form, with a mistake in the email address ...
    page.get_by_label("Nombre de la organización").fill("Escuela Secundaria Roosevelt")
    page.get_by_label("Tipo de organización").select_option("school")
    page.get_by_label("Dirección").fill("4029 28th Ave S")
    page.get_by_label("Ciudad").fill("Minneapolis")
    page.get_by_label("Condado").select_option("hennepin")
    page.get_by_label("Código postal").fill("55406")
    page.get_by_label("Su nombre").fill("María López")
    page.get_by_label("Correo electrónico").fill("maria.lopez@example")
    page.get_by_label("Teléfono").fill("612-555-0123")
    page.get_by_label("¿Quiénes forman el público?").select_option(label="Personal docente y escolar")
    page.get_by_label("Número de personas esperado").fill("45")
    page.get_by_label("Idioma (obligatorio)").select_option(label="español")
    page.get_by_label("En persona").check()
    first = page.get_by_role("group", name="Primera opción")
    first.get_by_label("Fecha").fill(day.isoformat())
    first.get_by_label("Desde").fill("09:00")
    first.get_by_label("Hasta").fill("10:30")
    page.get_by_role("button", name="Revisar mi solicitud").click()

    # ... the mistake is shown next to the field, in Spanish ...
    expect(page.get_by_role("alert")).to_contain_text("Corrija 1 problema")
    assert page.locator("#id_contact_email_error").inner_text() == "Escriba un correo electrónico válido."
    assert page.get_by_label("Nombre de la organización").input_value() == "Escuela Secundaria Roosevelt"
    check_page(page, "journey-es-form-errors")
    page.get_by_role("link", name="Correo electrónico: Escriba un correo electrónico válido.").click()
    page.get_by_label("Correo electrónico").fill("maria.lopez@example.edu")
    page.get_by_role("button", name="Revisar mi solicitud").click()

    # ... checks the summary, in Spanish, and sends it.
    expect(page.get_by_role("heading", level=1)).to_have_text("Revise su solicitud")
    terms = page.locator(".review dt").all_inner_texts()
    answers = page.locator(".review dd").all_inner_texts()
    rows = dict(zip(terms, answers, strict=True))
    assert (rows["Tipo de organización"], rows["Cuántas personas"], rows["Primera opción"], rows["Idioma"]) == (
        "Escuela",
        "Aproximadamente 45 personas",
        f"{spanish_day}, de 9:00 a.m. a 10:30 a.m. (hora del Centro)",
        "español",
    )
    check_page(page, "journey-es-review")
    page.get_by_role("button", name="Enviar solicitud").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gracias: recibimos su solicitud")
    check_page(page, "journey-es-received")
    page.locator(".private-link a").click()
    expect(page.locator(".status-badge")).to_have_text("Enviada")
    status_url = page.url
    check_page(page, "journey-es-status-submitted")

    request = PresentationRequest.objects.get()
    assert request.requester_language == "es"
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects["maria.lopez@example.edu"] == f"Recibimos su solicitud de presentación {request.reference}"
    assert subjects["staff@outreach.test"].startswith(f"New request {request.reference}: Recognizing and Responding")

    # Staff schedule it; the status page shows the Spanish date and the calendar links.
    start = request.windows.get().start
    plan = review.Plan(
        start, start + timedelta(minutes=90), Presenter.objects.get(), [], Format.IN_PERSON, "Biblioteca"
    )
    review.request_approve(request=request, by=staff_user, plan=plan)
    page.goto(status_url)
    scheduled = page.get_by_role("region", name="Su presentación está programada")
    assert scheduled.locator("dd").first.inner_text() == f"{spanish_day}, de 9:00 a.m. a 10:30 a.m. (hora del Centro)"
    expect(scheduled).to_contain_text("Agréguela a su calendario")
    check_page(page, "journey-es-status-scheduled")

    # Back to English with the switcher, on the same page.
    page.get_by_role("form", name="Idioma del sitio").get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.url == status_url
    expect(page.locator(".status-badge")).to_have_text("Scheduled")
