"""What several apps share, and nothing else.

``access`` (who may see staff and presenter pages), ``links`` (private-link tokens), ``validators``
(ZIP, phone, honeypot and control-character rules used by forms, the API and the services alike),
``forms`` (the accessible form base and its text field), ``api`` (the REST API's error shape,
parsing, authentication, throttling, pagination and serializer fields), ``logging`` (keeping
private links out of log lines), ``mail`` (the development .eml backend), ``db`` (database features
used only where the database has them) and the context every page template gets.
"""
