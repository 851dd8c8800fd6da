"""The REST API toolkit every endpoint shares: ``errors`` (the one error shape and its OpenAPI
description), ``defaults`` (parsing, authentication, throttling, pagination, filter forms) and
``fields`` (serializer fields that apply the web forms' input rules)."""
