"""Forms for the staff pages: ``filters`` (the queue's filters and the calendar's range) and
``actions`` (one form per lifecycle action); ``fields`` holds what both use.

Times are entered as a date and start and end times in the site's time zone (America/Chicago),
like the public request form.
"""
