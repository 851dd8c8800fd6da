"""Changes the cache tests make to what a page or feed shows, one field at a time."""

from scheduling.services.review import Plan, booking_reschedule


def save_with(instance, **changes) -> None:
    """Set ``changes`` on ``instance`` and save it, as an edit in the admin would."""
    for name, value in changes.items():
        setattr(instance, name, value)
    instance.save()


def reschedule(booked: dict, **overrides) -> None:
    """Reschedule ``booked["booking"]`` through the lifecycle, keeping all but ``overrides``;
    ``booked`` holds the booking, its lead (and co-presenter, ``co``, if any) and a staff user."""
    booking = booked["booking"]
    booking.refresh_from_db()
    fields = {
        "start": booking.start,
        "end": booking.end,
        "lead_presenter": booked["lead"],
        "co_presenters": [booked["co"]] if "co" in booked else [],
        "location": booking.location,
    }
    fields.update(overrides)
    booking_reschedule(request=booking.request, by=booked["staff"], plan=Plan(**fields))
