# Roles belong to an organisation. A role stored before belonged to the whole
# installation: it becomes the same role in every organisation stored (so nobody
# loses a right on update). With no organisation stored yet such a role gave no
# right on any plan and is dropped; give it again once a plan is imported.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def roles_in_every_organisation(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # checked row by row, so that no deferred check is pending when the column
        # becomes NOT NULL below, in the same transaction
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    OrgRole = apps.get_model("accounts", "OrgRole")
    Organisation = apps.get_model("plans", "Organisation")
    organisations = list(Organisation.objects.values_list("pk", flat=True))
    for role in OrgRole.objects.filter(organisation__isnull=True):
        for org in organisations:
            OrgRole.objects.get_or_create(user_id=role.user_id, role=role.role,
                                          organisation_id=org)
        role.delete()


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_accounts_roles_moved'),
        ('plans', '0005_plan_period_settings'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(model_name='orgrole', name='meas_orgrole_unique'),
        migrations.AddField(
            model_name='orgrole',
            name='organisation',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='roles', to='plans.organisation', verbose_name='ente'),
        ),
        migrations.RunPython(roles_in_every_organisation, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='orgrole',
            name='organisation',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='roles', to='plans.organisation', verbose_name='ente'),
        ),
        migrations.AddConstraint(
            model_name='orgrole',
            constraint=models.UniqueConstraint(fields=('user', 'organisation', 'role'), name='accounts_orgrole_unique'),
        ),
        migrations.CreateModel(
            name='PeopleEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='quando')),
                ('username', models.CharField(blank=True, max_length=150, verbose_name='utente')),
                ('subject_username', models.CharField(max_length=150, verbose_name='nome utente della persona')),
                ('action', models.CharField(choices=[('add', 'persona aggiunta'), ('invite', 'invito inviato'), ('role_added', 'ruolo dato'), ('role_removed', 'ruolo tolto'), ('membership_added', 'assegnazione a un centro'), ('membership_removed', 'tolto da un centro'), ('deactivate', 'disattivata'), ('reactivate', 'riattivata')], max_length=40, verbose_name='azione')),
                ('detail', models.CharField(blank=True, max_length=300, verbose_name='dettaglio')),
                ('organisation', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='plans.organisation', verbose_name='ente')),
                ('subject', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='persona')),
                ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='chi')),
            ],
            options={
                'verbose_name': 'modifica di persone e ruoli',
                'verbose_name_plural': 'registro delle persone e dei ruoli',
                'ordering': ['at', 'pk'],
            },
        ),
    ]
