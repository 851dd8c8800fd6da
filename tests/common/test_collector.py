import gc

import pytest

from common.collector import collector_paused


def test_collector_is_off_during_the_block_and_back_on_after_it():
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_collector_is_back_on_after_an_error_in_the_block():
    with pytest.raises(ValueError), collector_paused():
        raise ValueError("the build failed")
    assert gc.isenabled()


def test_collector_left_off_by_someone_else_stays_off():
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.django_db
def test_collector_is_back_on_after_a_feed_is_built(client):
    assert client.get("/calendar/public.ics").status_code == 200
    assert gc.isenabled()
