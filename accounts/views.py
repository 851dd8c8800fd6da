"""Sign-in pages (staff and presenters, English): two-factor setup and check, password reset.

Signing in itself is Django's login view; django-axes locks it (and the admin's) after repeated
failures (``registration/locked_out.html``).
"""

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_ratelimit.core import is_ratelimited

from accounts import selectors, services
from accounts.forms import CodeForm, PasswordResetRequestForm
from accounts.signals import TWO_FACTOR_PENDING

MSG_TWO_FACTOR_ON = "Two-factor sign-in is on. From now on you give a code from your app after your password."
MSG_TWO_FACTOR_OFF = "Two-factor sign-in is off."
MSG_RESET_LIMITED = "Too many password reset requests from your connection. Try again in an hour."
PASSWORD_RESET_GROUP = "password-reset"  # noqa: S105 (a rate-limit group, not a secret)


def _setup_page(request: HttpRequest, *, form: CodeForm | None = None, status: int = 200) -> HttpResponse:
    confirmed = selectors.totp_device_of(user=request.user, confirmed=True)
    pending = None if confirmed else selectors.totp_device_of(user=request.user, confirmed=False)
    context = {
        "confirmed": confirmed,
        "pending": pending,
        "form": form or CodeForm(),
        "required": settings.TWO_FACTOR_REQUIRED_FOR_STAFF and request.user.is_staff,
    }
    if pending is not None:
        context["qr_svg"] = segno.make(pending.config_url, error="m").svg_inline(scale=5, title="Setup QR code")
        context["secret"] = _grouped(pending.config_url.split("secret=")[1].split("&")[0])
    return render(request, "accounts/two_factor.html", context, status=status)


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    """Turn two-factor sign-in on (start: a QR code and its secret; confirm: a code) or off (a code)."""
    if request.method == "GET":
        return _setup_page(request)
    action = request.POST.get("action")
    if action == "start":
        services.two_factor_start(user=request.user)
        return redirect("accounts:two_factor")
    form = CodeForm(request.POST)
    if not form.is_valid():
        return _setup_page(request, form=form, status=400)
    try:
        if action == "off":
            services.two_factor_turn_off(user=request.user, token=form.cleaned_data["token"])
            request.session[TWO_FACTOR_PENDING] = False
            messages.success(request, MSG_TWO_FACTOR_OFF)
            return redirect("accounts:two_factor")
        device = services.two_factor_confirm(user=request.user, token=form.cleaned_data["token"])
    except ValidationError as exc:
        form.add_service_errors(exc)
        return _setup_page(request, form=form, status=400)
    otp_login(request, device)
    request.session[TWO_FACTOR_PENDING] = True
    messages.success(request, MSG_TWO_FACTOR_ON)
    return redirect("accounts:two_factor")


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return settings.LOGIN_REDIRECT_URL


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: the code from the person's authenticator app."""
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.two_factor_check(user=request.user, token=form.cleaned_data["token"])
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            otp_login(request, device)
            return redirect(_next_url(request))
    status = 400 if form.is_bound else 200
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": _next_url(request)}, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def password_reset(request: HttpRequest) -> HttpResponse:
    """Ask for a password reset link: the same answer whether or not an account has the address.

    At most PASSWORD_RESET_RATE_LIMIT requests per address (429), and as many emails per
    address a day; the email goes out from the worker."""
    if request.method == "GET":
        return render(request, "accounts/password_reset.html", {"form": PasswordResetRequestForm()})
    if is_ratelimited(
        request, group=PASSWORD_RESET_GROUP, key="ip", rate=settings.PASSWORD_RESET_RATE_LIMIT, increment=True
    ):
        form = PasswordResetRequestForm(request.POST)
        context = {"form": form, "blocked": MSG_RESET_LIMITED}
        return render(request, "accounts/password_reset.html", context, status=429)
    form = PasswordResetRequestForm(request.POST)
    if not form.is_valid():
        return render(request, "accounts/password_reset.html", {"form": form}, status=400)
    email = form.cleaned_data["email"]
    email_limited = is_ratelimited(
        request,
        group=f"{PASSWORD_RESET_GROUP}:email",
        key=lambda group, request: email.lower(),
        rate=settings.PASSWORD_RESET_EMAIL_RATE_LIMIT,
        increment=True,
    )
    if not email_limited:
        services.password_reset_request(email=email)
    return redirect("password_reset_done")
