"""The admin action that rotates presenters' calendar-feed tokens (registered on the Presenter admin)."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from scheduling.feed_views import presenter_feed_url
from scheduling.models import Presenter
from scheduling.services.feed_tokens import presenter_feed_token_rotate


@admin.action(description=_("Rotate feed token"), permissions=["change"])
def rotate_feed_token(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Presenter]):
    """Give each selected presenter a new feed link and show the links once (they are not stored)."""
    rotated = [
        (presenter, presenter_feed_url(presenter_feed_token_rotate(presenter=presenter, by=request.user)))
        for presenter in queryset.order_by("name")
    ]
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": _("New feed links"),
        "opts": modeladmin.model._meta,
        "rotated": rotated,
    }
    response = TemplateResponse(request, "scheduling/feeds/admin_rotated.html", context)
    response.headers["Cache-Control"] = "no-store"
    return response
