import zoneinfo
from datetime import date, datetime, timedelta

import factory
from django.utils import timezone

from common.links import link_issue
from common.models import LinkPurpose
from outreach.api.examples import REQUEST as REQUEST_EXAMPLE
from outreach.enums import Format, OrganizationType, RequestStatus
from outreach.models import Audience, Language, Presentation, PresentationRequest, RequestWindow

CENTRAL = zoneinfo.ZoneInfo("America/Chicago")


def days_ahead(days: int, hour: int = 10, minute: int = 0) -> datetime:
    """An aware Central-time datetime ``days`` from today at ``hour``:``minute``."""
    day = timezone.localdate() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=CENTRAL)


def example_window(day: date) -> tuple[datetime, datetime]:
    """The example request's window (outreach.api.examples.REQUEST), moved to ``day`` at the same local times."""
    start, end = (datetime.fromisoformat(REQUEST_EXAMPLE["windows"][0][bound]) for bound in ("start", "end"))
    return tuple(datetime.combine(day, moment.astimezone(CENTRAL).time(), tzinfo=CENTRAL) for moment in (start, end))


class LanguageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Language
        django_get_or_create = ["code"]

    code = "en"
    name = "English"


class AudienceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Audience
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Audience {n}")
    slug = factory.Sequence(lambda n: f"audience-{n}")


class PresentationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Presentation
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Presentation {n}")
    slug = factory.Sequence(lambda n: f"presentation-{n}")
    summary = "A summary."
    description = "A description."
    duration_minutes = 60

    @factory.post_generation
    def audiences(self, create, extracted, **kwargs):
        if create:
            self.audiences.set(extracted if extracted is not None else [AudienceFactory()])

    @factory.post_generation
    def languages(self, create, extracted, **kwargs):
        if create:
            self.languages.set(extracted if extracted is not None else [LanguageFactory()])


class PresentationRequestFactory(factory.django.DjangoModelFactory):
    """A submitted request. The plain token is on ``request.token`` (the model keeps only its hash)."""

    class Meta:
        model = PresentationRequest
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda n: f"OS-TEST-{n:04d}")
    presentation = factory.SubFactory(PresentationFactory)
    status = RequestStatus.SUBMITTED
    organization_name = "Northfield Community Church"
    organization_type = OrganizationType.FAITH
    street_address = "100 Division St S"
    city = "Northfield"
    county = "rice"
    zip_code = "55057"
    contact_name = "Dana Whitfield"
    contact_role = "Youth director"
    contact_email = "dana@example.net"
    contact_phone = "+1 507-555-0142"
    audience = factory.LazyAttribute(lambda o: o.presentation.audiences.first())
    audience_size = 40
    language = factory.LazyAttribute(lambda o: o.presentation.languages.first())
    format = Format.IN_PERSON

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        request = super()._create(model_class, *args, **kwargs)
        request.token = request.status_token = link_issue(purpose=LinkPurpose.REQUEST_STATUS, subject_id=request.pk)
        return request

    @factory.post_generation
    def windows(self, create, extracted, **kwargs):
        if create and extracted is None:
            RequestWindow.objects.create(request=self, position=1, start=days_ahead(30, 10), end=days_ahead(30, 11))


class PresenterFactory(factory.django.DjangoModelFactory):
    """An active presenter; pass ``presentations=[...]`` for what they are qualified to give."""

    class Meta:
        model = "scheduling.Presenter"
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Presenter {n}")
    email = factory.Sequence(lambda n: f"presenter{n}@example.org")
    phone = "+1 612-555-0100"

    @factory.post_generation
    def presentations(self, create, extracted, **kwargs):
        if create and extracted:
            self.presentations.set(extracted)

    @factory.post_generation
    def languages(self, create, extracted, **kwargs):
        if create:
            self.languages.set(extracted if extracted is not None else [LanguageFactory()])
