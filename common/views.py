"""Views that belong to no one app."""

from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language

from common.languages import is_public_language

MSG_LANGUAGE_NOT_OFFERED = _("This language is not offered.")


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers and container health checks: the app answers and reaches its database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


@csrf_exempt
@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """The language switcher's form: remember the choice (a cookie) and go back to the page.

    Django's ``set_language``, for the languages PUBLIC_LANGUAGES offers only. Without a CSRF
    token, so that public pages need no cookie and stay cacheable: the worst a forged post can
    do is switch someone's page to another offered language, which the switcher undoes.
    """
    if not is_public_language(request.POST.get("language")):
        return HttpResponseBadRequest(str(MSG_LANGUAGE_NOT_OFFERED), content_type="text/plain; charset=utf-8")
    return set_language(request)
