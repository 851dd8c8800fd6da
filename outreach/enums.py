"""Fixed lists the program uses: statuses, organization types, formats and Minnesota's counties."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RequestStatus(models.TextChoices):
    """A request's status, from submission to its outcome."""

    # Translators: a request's status, shown as a badge and in sentences; each describes the request
    # (in Spanish "la solicitud", so feminine), as in "This request is scheduled".
    SUBMITTED = "submitted", pgettext_lazy("request status", "Submitted")
    SCHEDULED = "scheduled", pgettext_lazy("request status", "Scheduled")
    DECLINED = "declined", pgettext_lazy("request status", "Declined")
    WITHDRAWN = "withdrawn", pgettext_lazy("request status", "Withdrawn")
    CANCELLED = "cancelled", pgettext_lazy("request status", "Cancelled")
    COMPLETED = "completed", pgettext_lazy("request status", "Completed")
    EXPIRED = "expired", pgettext_lazy("request status", "Expired")


# A request in one of these can change no more: it is kept RETENTION_DAYS after it closed, then erased.
CLOSED_STATUSES = (
    RequestStatus.COMPLETED,
    RequestStatus.DECLINED,
    RequestStatus.WITHDRAWN,
    RequestStatus.EXPIRED,
    RequestStatus.CANCELLED,
)


class Format(models.TextChoices):
    IN_PERSON = "in_person", pgettext_lazy("presentation format", "In person")
    VIRTUAL = "virtual", pgettext_lazy("presentation format", "Virtual")


class OrganizationType(models.TextChoices):
    SCHOOL = "school", pgettext_lazy("type of organization", "School")
    COLLEGE = "college", pgettext_lazy("type of organization", "College or university")
    FAITH = "faith", pgettext_lazy("type of organization", "Faith community")
    HEALTH_CARE = "health_care", pgettext_lazy("type of organization", "Health care")
    SOCIAL_SERVICES = "social_services", pgettext_lazy("type of organization", "Social services")
    LAW_ENFORCEMENT = "law_enforcement", pgettext_lazy("type of organization", "Law enforcement")
    TRIBAL_GOVERNMENT = "tribal_government", pgettext_lazy("type of organization", "Tribal government")
    GOVERNMENT_AGENCY = "government_agency", pgettext_lazy("type of organization", "Government agency")
    BUSINESS = "business", pgettext_lazy("type of organization", "Business")
    COMMUNITY_GROUP = "community_group", pgettext_lazy("type of organization", "Community group")
    OTHER = "other", pgettext_lazy("type of organization", "Other")


class ReferralSource(models.TextChoices):
    COLLEAGUE = "colleague", pgettext_lazy("how they heard of the program", "A colleague or another organization")
    PREVIOUS = "previous", pgettext_lazy("how they heard of the program", "We have hosted a presentation before")
    WEBSITE = "website", pgettext_lazy("how they heard of the program", "The program's website")
    SEARCH = "search", pgettext_lazy("how they heard of the program", "A web search")
    EVENT = "event", pgettext_lazy("how they heard of the program", "A conference or community event")
    SOCIAL_MEDIA = "social_media", pgettext_lazy("how they heard of the program", "Social media")
    NEWSLETTER = "newsletter", pgettext_lazy("how they heard of the program", "A newsletter or mailing list")
    OTHER = "other", pgettext_lazy("how they heard of the program", "Other")


# Minnesota's 87 counties, plus one choice for organizations outside the state.
MINNESOTA_COUNTIES = (
    "Aitkin", "Anoka", "Becker", "Beltrami", "Benton", "Big Stone", "Blue Earth", "Brown",
    "Carlton", "Carver", "Cass", "Chippewa", "Chisago", "Clay", "Clearwater", "Cook",
    "Cottonwood", "Crow Wing", "Dakota", "Dodge", "Douglas", "Faribault", "Fillmore",
    "Freeborn", "Goodhue", "Grant", "Hennepin", "Houston", "Hubbard", "Isanti", "Itasca",
    "Jackson", "Kanabec", "Kandiyohi", "Kittson", "Koochiching", "Lac qui Parle", "Lake",
    "Lake of the Woods", "Le Sueur", "Lincoln", "Lyon", "McLeod", "Mahnomen", "Marshall",
    "Martin", "Meeker", "Mille Lacs", "Morrison", "Mower", "Murray", "Nicollet", "Nobles",
    "Norman", "Olmsted", "Otter Tail", "Pennington", "Pine", "Pipestone", "Polk", "Pope",
    "Ramsey", "Red Lake", "Redwood", "Renville", "Rice", "Rock", "Roseau", "St. Louis",
    "Scott", "Sherburne", "Sibley", "Stearns", "Steele", "Stevens", "Swift", "Todd",
    "Traverse", "Wabasha", "Wadena", "Waseca", "Washington", "Watonwan", "Wilkin", "Winona",
    "Wright", "Yellow Medicine",
)  # fmt: skip
OUTSIDE_MINNESOTA = "outside_mn"


def _county_value(name: str) -> str:
    return name.lower().replace(".", "").replace(" ", "_")


COUNTY_CHOICES = [(_county_value(name), name) for name in MINNESOTA_COUNTIES] + [
    (OUTSIDE_MINNESOTA, _("Outside Minnesota"))
]
