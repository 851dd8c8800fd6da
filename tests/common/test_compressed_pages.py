"""Stored pages and feeds sent compressed to a client that accepts gzip.

Browsers and calendar apps send ``Accept-Encoding: gzip``: they get the stored copy gzipped (made
once per copy), under the weak form of its ETag, with ``Vary: Accept-Encoding``; everyone else
gets it as it is. Either ETag answers 304 to either kind of client, as with Django's GZipMiddleware.
That a compressed copy follows every change is shown by test_stored_pages (each field, both ways).
"""

import gzip
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client

from calendars.services import staff_feed_token_revoke
from common.pagecache import recent
from tests.calendars.test_feeds import presenter_url, staff_url

pytestmark = pytest.mark.django_db

GZIP = "gzip, deflate, br"
PUBLIC = ["/", "/presentations/", "/presentations/recognize-respond-schools/", "/events/", "/calendar/public.ics"]


def compressed_and_plain(url: str):
    return Client(HTTP_ACCEPT_ENCODING=GZIP).get(url), Client().get(url)


@pytest.mark.parametrize("url", PUBLIC)
def test_public_page_is_gzipped_for_a_client_that_accepts_it(booked, url):
    compressed, plain = compressed_and_plain(url)

    assert (compressed.status_code, plain.status_code) == (200, 200)
    assert compressed["Content-Encoding"] == "gzip"
    assert "Content-Encoding" not in plain
    assert compressed["Vary"] == plain["Vary"]
    assert "Accept-Encoding" in compressed["Vary"].split(", ")
    assert compressed["Content-Type"] == plain["Content-Type"]
    assert compressed["ETag"] == "W/" + plain["ETag"]
    assert gzip.decompress(compressed.content) == plain.content
    assert len(compressed.content) < len(plain.content)


def test_private_feeds_are_gzipped_and_stay_private(booked):
    for url in (staff_url(booked["staff"]), presenter_url(booked["lead"])):
        compressed, plain = compressed_and_plain(url)

        assert compressed["Content-Encoding"] == "gzip"
        assert gzip.decompress(compressed.content) == plain.content
        assert "Ruth Amundsen" in plain.content.decode()
        assert compressed["Cache-Control"] == plain["Cache-Control"] == "private, no-cache"


def test_revoked_link_answers_404_though_its_compressed_copy_exists(booked):
    url = staff_url(booked["staff"])
    assert Client(HTTP_ACCEPT_ENCODING=GZIP).get(url).status_code == 200

    staff_feed_token_revoke(user=booked["staff"])

    assert Client(HTTP_ACCEPT_ENCODING=GZIP).get(url).status_code == 404


@pytest.mark.parametrize("sent_with", ["", "gzip;q=0", "br", "identity", "deflate, gzip;q=0.0"])
def test_a_client_that_does_not_accept_gzip_gets_the_copy_as_it_is(booked, sent_with):
    plain = Client().get("/events/")
    answer = Client(HTTP_ACCEPT_ENCODING=sent_with).get("/events/")

    assert "Content-Encoding" not in answer
    assert answer["ETag"] == plain["ETag"]
    assert answer.content == plain.content


@pytest.mark.parametrize("accepts", ["gzip", "*", "GZIP;q=0.5, identity"])
def test_gzip_or_any_coding_gets_the_compressed_copy(booked, accepts):
    answer = Client(HTTP_ACCEPT_ENCODING=accepts).get("/events/")

    assert answer["Content-Encoding"] == "gzip"


@pytest.mark.parametrize("url", ["/events/", "/calendar/public.ics"])
def test_either_etag_answers_304_to_either_client(booked, url):
    compressed, plain = compressed_and_plain(url)
    for etag in (compressed["ETag"], plain["ETag"]):
        for client in (Client(HTTP_ACCEPT_ENCODING=GZIP), Client()):
            assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304

    again = Client(HTTP_ACCEPT_ENCODING=GZIP).get(url, HTTP_IF_NONE_MATCH=compressed["ETag"])
    assert again["ETag"] == compressed["ETag"]


def test_compressed_copy_is_made_once_and_served_in_one_query(booked, django_assert_num_queries, monkeypatch):
    made: list[int] = []
    compress = gzip.compress
    monkeypatch.setattr(gzip, "compress", lambda data, **kw: made.append(len(data)) or compress(data, **kw))
    client = Client(HTTP_ACCEPT_ENCODING=GZIP)
    first = client.get("/events/")
    recent.clear()  # the compressed copy is also in the cache, for the other processes

    with django_assert_num_queries(1):  # the data versions
        again = client.get("/events/")

    assert again.content == first.content
    assert made == [len(Client().get("/events/").content)]


def test_compressed_copy_is_rebuilt_when_time_alone_moves_the_page(booked, clock):
    client = Client(HTTP_ACCEPT_ENCODING=GZIP)
    first = client.get("/events/")

    clock(booked["booking"].end + timedelta(seconds=1))
    again = client.get("/events/")

    assert "Northfield Community Church" in gzip.decompress(first.content).decode()
    assert "Northfield Community Church" not in gzip.decompress(again.content).decode()


def test_unreachable_cache_still_answers_compressed(booked, monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionError("refused")

    monkeypatch.setattr(cache, "get", refuse)
    monkeypatch.setattr(cache, "set", refuse)
    recent.clear()
    compressed, plain = compressed_and_plain("/presentations/")

    assert compressed.status_code == 200
    assert gzip.decompress(compressed.content) == plain.content
