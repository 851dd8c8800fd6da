"""Fixed lists the program uses: statuses, organization types, formats and Minnesota's counties."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RequestStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    SCHEDULED = "scheduled", _("Scheduled")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CANCELLED = "cancelled", _("Cancelled")
    COMPLETED = "completed", _("Completed")
    EXPIRED = "expired", _("Expired")


class Format(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    VIRTUAL = "virtual", _("Virtual")


class OrganizationType(models.TextChoices):
    SCHOOL = "school", _("School")
    COLLEGE = "college", _("College or university")
    FAITH = "faith", _("Faith community")
    HEALTH_CARE = "health_care", _("Health care")
    SOCIAL_SERVICES = "social_services", _("Social services")
    LAW_ENFORCEMENT = "law_enforcement", _("Law enforcement")
    TRIBAL_GOVERNMENT = "tribal_government", _("Tribal government")
    GOVERNMENT_AGENCY = "government_agency", _("Government agency")
    BUSINESS = "business", _("Business")
    COMMUNITY_GROUP = "community_group", _("Community group")
    OTHER = "other", _("Other")


class ReferralSource(models.TextChoices):
    COLLEAGUE = "colleague", _("A colleague or another organization")
    PREVIOUS = "previous", _("We have hosted a presentation before")
    WEBSITE = "website", _("The program's website")
    SEARCH = "search", _("A web search")
    EVENT = "event", _("A conference or community event")
    SOCIAL_MEDIA = "social_media", _("Social media")
    NEWSLETTER = "newsletter", _("A newsletter or mailing list")
    OTHER = "other", _("Other")


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
