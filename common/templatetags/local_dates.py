"""Dates and times in the page's language (``common.dates``): ``{{ moment|day_long }}``, ``{% time_span a b %}``."""

from collections.abc import Callable

from django import template

from common import dates

register = template.Library()


def _filter(name: str, format_date: Callable) -> None:
    register.filter(name, lambda moment: format_date(moment) if moment else "")


_filter("day_long", dates.day_long)
_filter("day", dates.day)
_filter("time_of_day", dates.time_of_day)


@register.simple_tag
def time_span(start, end, zone=True) -> str:
    return dates.time_span(start, end, zone=zone) if start and end else ""
