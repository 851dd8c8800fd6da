"""The staff API's shapes: ``requests`` (a request with its trail, and the lifecycle actions'
bodies), ``people`` (presenters, suggestions, blackout periods) and ``bookings`` (bookings and
notifications).

Input serializers parse and check what can be checked without the database's state (types,
lengths, times in order); the lifecycle service checks everything again and its errors keep
their field names, so a client sees the same keys either way.
"""
