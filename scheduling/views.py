"""Staff pages: the queue and each request's page with its actions."""

from django.contrib.auth.decorators import login_required, user_passes_test
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from scheduling import selectors


def staff_required(view):
    """Anonymous visitors go to the login page; signed-in people who are not staff get 403."""

    def check(user) -> bool:
        if not user.is_staff:
            raise PermissionDenied
        return True

    return login_required(user_passes_test(check)(view))


@require_GET
@staff_required
def queue(request: HttpRequest) -> HttpResponse:
    requests = selectors.requests_for_queue()
    return render(
        request, "scheduling/staff/queue.html", {"requests": requests, "stale_before": selectors.stale_cutoff()}
    )


@require_GET
@staff_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.request_for_staff(pk=pk)
    if found is None:
        raise Http404
    return render(request, "scheduling/staff/request_detail.html", {"request_obj": found})
