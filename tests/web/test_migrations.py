"""The committed migrations describe the models exactly."""

from __future__ import annotations

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_is_missing_a_migration() -> None:
    # exits with status 1 (SystemExit) when makemigrations would write something
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_roles_move_to_the_accounts_app_with_their_rows() -> None:
    """A database of before the move keeps its people's roles (same tables, new app);
    a role of before, which counted everywhere, becomes the role in every organisation."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("measurements", "0004_mail_preference_and_sent_mail"),
              ("plans", "0005_plan_period_settings")]
    executor = MigrationExecutor(connection)
    executor.migrate([("accounts", None)])  # back to before the move
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    user = old.get_model("auth", "User").objects.create(username="ufficio")
    old.get_model("measurements", "OrgRole").objects.create(user=user, role="planning")
    for name in ("CCIAA di Milano", "CCIAA di Como"):
        old.get_model("plans", "Organisation").objects.create(name=name)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    from cruscotto.web.accounts.models import OrgRole

    assert sorted(OrgRole.objects.values_list("user__username", "role", "organisation__name")
                  ) == [("ufficio", "planning", "CCIAA di Como"),
                        ("ufficio", "planning", "CCIAA di Milano")]
