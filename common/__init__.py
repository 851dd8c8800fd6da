"""What several apps share, and nothing else.

``access`` (who may see staff and presenter pages), ``links`` (private-link tokens), ``validators``
(ZIP, phone, honeypot and control-character rules used by forms, the API and the services alike),
``forms`` (the accessible form base, which also puts a service's errors next to the inputs, its
text field and its bounded date field), ``api`` (the REST API's error shape, parsing,
authentication, throttling, pagination, serializer fields, the generic-view mixins for endpoints
that read through selectors and write through services, and the schema's examples),
``languages``, ``middleware``, ``dates`` and the ``local_dates`` template tags (the language of a
page, an email or an answer, and its dates), ``times`` (a time people enter read as an instant:
the program's time zone, the clock changes, the years allowed), ``framework_messages`` (Django's
own messages for our catalogs), ``checks`` (start-up checks of our settings), ``exceptions``
(DomainError, the one base of a refusal by a rule of the program), ``admin`` (read-only admin
bases), ``logging`` (keeping private links out of log lines), ``mail`` (the development .eml
backend), ``db`` (database features used only where the database has them), the health check and
the context every page template gets.
"""
