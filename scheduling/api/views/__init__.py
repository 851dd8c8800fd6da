"""The staff API (/api/v1/staff/): staff users only, by token or session (CSRF on writes).

Each view parses its input, calls one selector or service (the same ones as the staff pages, so
the same rules, conflicts and notifications apply) and renders the result. Domain errors become
the one error shape in common.api.errors: TransitionError and BookingConflict a 409, a service's
ValidationError a 400 keyed by field.

``requests`` holds the queue and the lifecycle actions, ``people`` the presenters and their
blackout periods, ``bookings`` the calendar's bookings and the notifications.
"""
