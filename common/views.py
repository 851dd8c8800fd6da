"""Views that belong to no one app."""

from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseNotFound
from django.template import loader
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt, requires_csrf_token
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language

from common.languages import is_public_language

MSG_LANGUAGE_NOT_OFFERED = _("This language is not offered.")

# What a 404 page says was not found (when the view did not say) and what to do, by the address's start.
MSG_NOTHING_HERE = _("There is nothing at this address.")
MSG_NOTHING_HERE_HELP = _(
    "Check the address for a typing mistake, or start again from the list of presentations we offer."
)
MSG_NO_STATUS_PAGE = _("This link does not lead to a request. Check that you copied all of it.")
MSG_LOST_STATUS_LINK = _(
    "The link to your request's status page is in the email we sent when you made the request, and in every "
    "email about it since. Lost them all? Find my request, below, sends the link to your email address again."
)
MSG_NO_CALENDAR = _("There is no calendar at this address.")
MSG_CALENDAR_HELP = _(
    "A private calendar link stops working when a new one is issued: ask the program's staff for the new link. "
    "Our public presentations are listed on the Upcoming events page."
)
MSG_NO_PRESENTATION = _("We do not offer a presentation at this address.")
MSG_PRESENTATION_HELP = _("It may have been renamed or retired. See the list of presentations we offer.")
MSG_EVALUATION_HELP = _(
    "The link is in the thank-you email we sent after the presentation. If it still does not work, reply to that email."
)
MSG_SURVEY_HELP = _("Check the address on the slide again, or ask the presenter for it.")

NOT_FOUND_BY_PATH = [
    ("/requests/", MSG_NO_STATUS_PAGE, MSG_LOST_STATUS_LINK),
    ("/calendar/", MSG_NO_CALENDAR, MSG_CALENDAR_HELP),
    ("/presentations/", MSG_NO_PRESENTATION, MSG_PRESENTATION_HELP),
    ("/evaluation/", MSG_NOTHING_HERE, MSG_EVALUATION_HELP),
    ("/survey/", MSG_NOTHING_HERE, MSG_SURVEY_HELP),
]


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


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The 404 page: in plain words, what was not found and what to do.

    A view's own message (``raise Http404(MSG_...)``, lazy or not) says what was not found;
    otherwise the address says it: a status link, a calendar feed, a presentation, or nothing.
    Django's own page would show "Http404" or "Resolver404" for a lazy message or an unknown address.
    """
    path = request.path_info
    what, help_text = MSG_NOTHING_HERE, MSG_NOTHING_HERE_HELP
    for prefix, default_what, prefix_help in NOT_FOUND_BY_PATH:
        if path.startswith(prefix):
            what, help_text = default_what, prefix_help
            break
    given = exception.args[0] if exception is not None and exception.args else None
    if isinstance(given, (str, Promise)) and str(given).strip():
        what = given
    context = {"not_found": str(what), "not_found_help": str(help_text), "request_path": path}
    return HttpResponseNotFound(loader.render_to_string("404.html", context, request))
