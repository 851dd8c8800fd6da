"""Outreach: the catalog of presentations and the requests organizations send for them. The
public pages (home, catalog, a presentation), the request form with its check-your-request step,
the requester's private status page with its actions, and the public API for all of these.
"""
