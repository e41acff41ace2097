"""One person saving one value through the API, for the concurrency test.

``python -m tests.faults.save_worker USER VALUE HOLD GO``: PUT VALUE for 3.1.1's
``budget_innovazione`` at 31/12/2021 with the version read before (1), through
Django's test client (the whole stack: middleware, API, service, database), and
print the HTTP status. With HOLD > 0 the request, once it has written its first
row, holds its transaction open for HOLD seconds (a database execute wrapper in
this process only) and prints ``HOLDING`` -- the other save then arrives while
the first one has the write lock. GO is a file: a worker with HOLD > 0 creates it
once it holds the lock; one with HOLD = 0 prints ``READY`` once set up, waits for the
file, then sends its request at once (so it arrives while the other holds the lock,
however slow the machine is to start processes).
"""

from __future__ import annotations

import json
import os
import sys
import time
from typing import Any


def main(user: str, value: str, hold: float, go: str) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cruscotto.web.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    held = False

    def wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        nonlocal held
        result = execute(sql, params, many, context)
        if hold > 0 and not held and sql.lstrip().upper().startswith("UPDATE"):
            held = True
            print("HOLDING", flush=True)
            open(go, "w").close()  # noqa: SIM115 - a flag file, closed at once
            time.sleep(hold)
        return result

    client = Client(HTTP_HOST="localhost")
    client.force_login(get_user_model().objects.get(username=user))
    body = [{"indicator": "3.1.1", "variable": "budget_innovazione", "value": int(value),
             "expected_version": 1}]
    if hold <= 0:
        print("READY", flush=True)
        while not os.path.exists(go):
            time.sleep(0.01)
    with connection.execute_wrapper(wrapper):
        r = client.put("/api/plans/cciaa-mimblo-2021-2023/periods/2021-12-31/values",
                       data=json.dumps(body), content_type="application/json")
    print(f"STATUS {r.status_code}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]))
