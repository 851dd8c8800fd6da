"""The calendars app keeps no rows of its own: feed links are private links (common.links)."""
