"""A private feed's check of its link, next to the public feed's lookup of the data versions.

    .venv/bin/python -m bench.feed_links [--rounds 7] [--calls 2000]

Every request for a presenter or staff feed reads the data versions and finds whose feed its link
opens (calendars.selectors.links.private_feed_owner_and_versions); the public feed reads the
versions alone (common.versions.versions_current). Both run here in this process, on one kept
connection to a throwaway database (production settings: bench.settings), ``--calls`` times in a
row, the baseline and each check one after the other in every round. Printed: milliseconds per
call (median and range over the rounds) and the paired ratio to the baseline of the same round.

"known" is a link this process has seen open under the current versions (every request of a
subscribed calendar after the first); "first" forgets that before each call (the first request
after any change to the links, the users or the schedule).
"""

import argparse
import statistics
from collections.abc import Callable

from bench.common import django_in_process, load_average, machine_description, milliseconds_per_call, table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--calls", type=int, default=2000)
    args = parser.parse_args()

    with django_in_process("feed_links"):
        from django.contrib.auth import get_user_model

        from calendars.selectors import PRESENTER, STAFF
        from calendars.selectors.links import feed_owners, private_feed_owner_and_versions
        from calendars.services import presenter_feed_token_rotate, staff_feed_token_rotate
        from calendars.views import FEED_SCOPES
        from common.versions import versions_current
        from scheduling.models import Presenter

        presenter = Presenter.objects.create(name="Bench Presenter", email="presenter@bench.test")
        user = get_user_model().objects.create_user("bench", is_staff=True)
        tokens = {
            PRESENTER: presenter_feed_token_rotate(presenter=presenter),
            STAFF: staff_feed_token_rotate(user=user),
        }
        for kind, owner in ((PRESENTER, presenter.pk), (STAFF, user.pk)):
            found = private_feed_owner_and_versions(kind=kind, token=tokens[kind], scopes=FEED_SCOPES)[0]
            assert found == owner, f"the {kind} feed's link opens {found}, not {owner}"

        def check(kind: str, *, known: bool) -> Callable[[], object]:
            def call() -> object:
                if not known:
                    feed_owners.clear()
                return private_feed_owner_and_versions(kind=kind, token=tokens[kind], scopes=FEED_SCOPES)

            return call

        calls = {
            "presenter feed, link known": check(PRESENTER, known=True),
            "staff feed, link known": check(STAFF, known=True),
            "presenter feed, link seen first": check(PRESENTER, known=False),
            "staff feed, link seen first": check(STAFF, known=False),
        }
        baseline: list[float] = []
        times: dict[str, list[float]] = {name: [] for name in calls}
        ratios: dict[str, list[float]] = {name: [] for name in calls}
        for number in range(1, args.rounds + 1):
            print(f"  round {number} of {args.rounds} (load average {load_average()}) ...")
            base = milliseconds_per_call(lambda: versions_current(FEED_SCOPES), args.calls)
            baseline.append(base)
            for name, call in calls.items():
                took = milliseconds_per_call(call, args.calls)
                times[name].append(took)
                ratios[name].append(took / base)

        def row(name: str, values: list[float], paired: list[float] | None) -> list[object]:
            ratio = f"{statistics.median(paired):.2f}" if paired else "1"
            spread = f"{min(paired):.2f}-{max(paired):.2f}" if paired else ""
            median = f"{statistics.median(values):.3f}"
            return [name, median, f"{min(values):.3f}-{max(values):.3f}", ratio, spread]

        rows = [row("versions alone (the public feed's lookup)", baseline, None)]
        rows += [row(name, times[name], ratios[name]) for name in calls]
        print()
        for name, value in machine_description():
            print(f"{name}: {value}")
        print(f"{args.rounds} rounds of {args.calls:,} calls each, one kept connection")
        print(table(["per request", "ms", "range", "× versions", "range"], rows))


if __name__ == "__main__":
    main()
