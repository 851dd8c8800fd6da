"""A presenter's own pages (/my/...): where signing in leads, and their upcoming schedule."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from scheduling import selectors


@never_cache
@require_GET
@login_required
def my_schedule(request: HttpRequest) -> HttpResponse:
    """The signed-in presenter's upcoming bookings with everything needed to get there and present."""
    presenter = selectors.presenter_for_user(user=request.user)
    if presenter is None:
        return render(request, "scheduling/presenter/not_a_presenter.html", status=403)
    bookings = selectors.bookings_for_presenter(presenter=presenter)
    return render(request, "scheduling/presenter/schedule.html", {"presenter": presenter, "bookings": bookings})


@require_GET
@login_required
def after_login(request: HttpRequest) -> HttpResponse:
    """Where signing in leads without a ``next``: staff to the queue, presenters to their schedule."""
    if request.user.is_staff:
        return redirect("staff:queue")
    if selectors.presenter_for_user(user=request.user) is not None:
        return redirect("presenter:schedule")
    return redirect("outreach:home")
