"""The plan's data token: a column of ``plans_plan`` and the triggers that change it
(:mod:`cruscotto.web.measurements.datatoken`; installed again after every migrate)."""

from django.db import migrations

from cruscotto.web.measurements import datatoken


def install(apps, schema_editor):
    datatoken.install(schema_editor.connection.alias)


def uninstall(apps, schema_editor):
    datatoken.uninstall(schema_editor.connection.alias)


class Migration(migrations.Migration):

    dependencies = [
        ("measurements", "0006_results_stored_results"),
        ("plans", "0009_reading_target_structure"),
    ]

    operations = [
        migrations.RunPython(install, uninstall, elidable=False),
    ]
