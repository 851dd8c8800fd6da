"""Who may see which pages: the one check every staff page uses."""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation


def staff_required(view: Callable) -> Callable:
    """Anonymous visitors go to the login page; signed-in people who are not staff get 403.

    Staff pages are in STAFF_LANGUAGE (English) whatever the browser asks, wherever they are mounted.
    """

    @wraps(view)
    def check(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        with translation.override(settings.STAFF_LANGUAGE):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.is_staff:
                return render(request, "common/forbidden.html", status=403)
            return view(request, *args, **kwargs)

    return check
