"""The staff queue's reads: which requests, in which order, and one page of them with what the table shows."""

from datetime import datetime

from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from outreach.enums import RequestStatus
from outreach.models import PresentationRequest, RequestWindow
from scheduling.models import Answer, AssignmentAnswer, BusyInterval, Proposal, ProposalState
from scheduling.models.bookings import BusyKind

QUEUE_ORDER = ("submitted_at", "pk")  # oldest waiting first


def requests_for_queue(
    *,
    status: str | None = RequestStatus.SUBMITTED,
    presentation_id: int | None = None,
    county: str | None = None,
    audience_id: int | None = None,
    date_from: datetime | None = None,
    date_to: datetime | None = None,
) -> QuerySet[PresentationRequest]:
    """The staff queue (the API's list): oldest waiting first, with what the table shows loaded up front.

    ``date_from``/``date_to`` select requests with a preferred window (or a booking) in that range.
    """
    requests = _queue_filtered(
        status=status,
        presentation_id=presentation_id,
        county=county,
        audience_id=audience_id,
        date_from=date_from,
        date_to=date_to,
    )
    return _queue_annotated(requests).order_by(*QUEUE_ORDER)


def request_ids_for_queue(**filters) -> QuerySet:
    """The ids of the queue's requests (``requests_for_queue``'s filters), in its order: a narrow
    query to count and paginate before ``requests_for_queue_page`` loads one page's rows."""
    return _queue_filtered(**filters).order_by(*QUEUE_ORDER).values_list("pk", flat=True)


def requests_for_queue_page(*, ids: list[int]) -> list[PresentationRequest]:
    """The queue's rows for ``ids`` (one page of ``request_ids_for_queue``), in the queue's order."""
    return list(_queue_annotated(PresentationRequest.objects.filter(pk__in=ids)).order_by(*QUEUE_ORDER))


def _queue_filtered(
    *,
    status: str | None = RequestStatus.SUBMITTED,
    presentation_id: int | None = None,
    county: str | None = None,
    audience_id: int | None = None,
    date_from: datetime | None = None,
    date_to: datetime | None = None,
) -> QuerySet[PresentationRequest]:
    requests = PresentationRequest.objects.all()
    if status:
        requests = requests.filter(status=status)
    if presentation_id:
        requests = requests.filter(presentation_id=presentation_id)
    if county:
        requests = requests.filter(county=county)
    if audience_id:
        requests = requests.filter(audience_id=audience_id)
    if date_from or date_to:
        windows = RequestWindow.objects.filter(request=OuterRef("pk"))
        booked = Q(booking__isnull=False)
        if date_from:
            windows = windows.filter(end__gt=date_from)
            booked &= Q(booking__end__gt=date_from)
        if date_to:
            windows = windows.filter(start__lt=date_to)
            booked &= Q(booking__start__lt=date_to)
        requests = requests.filter(Exists(windows) | booked)
    return requests


def _queue_annotated(requests: QuerySet[PresentationRequest]) -> QuerySet[PresentationRequest]:
    open_proposal = Proposal.objects.filter(request=OuterRef("pk"), state=ProposalState.OPEN)
    return (
        requests.select_related("presentation", "audience", "booking")
        .prefetch_related(Prefetch("windows", queryset=RequestWindow.objects.order_by("position")))
        .annotate(last_window_end=Max("windows__end"), has_open_proposal=Exists(open_proposal))
        .annotate(**_answer_counts())
    )


def _current_answers(answer: str):
    """Presenters' answers of kind ``answer`` to the request's booking as it is now (its SEQUENCE)."""
    return AssignmentAnswer.objects.filter(
        booking__request=OuterRef("pk"), sequence=OuterRef("booking__sequence"), answer=answer
    )


def _count(rows) -> Coalesce:
    return Coalesce(Subquery(rows.values("booking").annotate(n=Count("pk")).values("n")[:1]), 0)


def _answer_counts() -> dict:
    """``presenters_declined``, ``presenters_confirmed`` and ``presenters_assigned`` for each request."""
    assigned = BusyInterval.objects.filter(
        booking__request=OuterRef("pk"), booking__cancelled_at__isnull=True, kind=BusyKind.PRESENTING
    )
    return {
        "presenters_declined": _count(_current_answers(Answer.DECLINED)),
        "presenters_confirmed": _count(_current_answers(Answer.CONFIRMED)),
        "presenters_assigned": _count(assigned),
    }


def requests_with_declined_presenters() -> QuerySet[PresentationRequest]:
    """Scheduled requests whose booking a presenter has declined (as it is now): staff must find
    someone else. Soonest talk first."""
    return (
        PresentationRequest.objects.filter(status=RequestStatus.SCHEDULED, booking__cancelled_at__isnull=True)
        .filter(Exists(_current_answers(Answer.DECLINED)))
        .select_related("presentation", "booking")
        .annotate(**_answer_counts())
        .order_by("booking__start", "pk")
    )
