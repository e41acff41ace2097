"""The HTTP API (django-ninja): plans, periods, values, workflow, evaluation, audit.

Mounted at ``/api/``; the OpenAPI document is served at ``/api/openapi.json``
and the interactive docs at ``/api/docs``. Endpoints stay thin: permissions
are the services' and selectors' (the same ones the pages call), and
:mod:`cruscotto.web.api.errors` turns their exceptions into HTTP statuses.
"""
