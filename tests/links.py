"""Reading private links back out of what was sent, and checking where they lead."""

import re

from common.links import live_subject_ids
from common.models import LinkPurpose

STATUS_LINK = r"https://outreach\.test/requests/([A-Za-z0-9_-]{43})/(?:\?lang=[a-z]+)?"


def status_link_in(text: str, request) -> str:
    """The status link ``text`` carries (the first), after checking that it opens ``request``."""
    match = re.search(STATUS_LINK, text)
    assert match, "the text carries a status link"
    subject_ids = list(live_subject_ids(purpose=LinkPurpose.REQUEST_STATUS, token=match.group(1)))
    assert subject_ids == [{"subject_id": request.pk}], "the link opens this request"
    return match.group(0)
