"""Outcomes: what came of a presentation. The host's evaluation (by private link from the
thank-you email), the audience's anonymous survey (QR code on the last slide), and the reach
reports funders ask for: totals, county map, charts and CSV exports.
"""
