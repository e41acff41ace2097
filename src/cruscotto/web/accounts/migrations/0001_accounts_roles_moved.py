# The roles move from the measurements app: the tables stay as they are
# (``db_table`` keeps their names), only Django's model state changes hands.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('measurements', '0004_mail_preference_and_sent_mail'),
        ('plans', '0005_plan_period_settings'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    state_operations = [
        migrations.CreateModel(
            name='OrgRole',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('role', models.CharField(choices=[('admin', 'amministratore'), ('planning', 'controllo di gestione'), ('oiv', 'OIV'), ('viewer', 'lettore')], max_length=20, verbose_name='ruolo')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='org_roles', to=settings.AUTH_USER_MODEL, verbose_name='utente')),
            ],
            options={
                'verbose_name': "ruolo nell'ente",
                'verbose_name_plural': "ruoli nell'ente",
                'db_table': 'measurements_orgrole',
                'constraints': [models.UniqueConstraint(fields=('user', 'role'), name='meas_orgrole_unique')],
            },
        ),
        migrations.CreateModel(
            name='CentreMembership',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('role', models.CharField(choices=[('manager', 'responsabile del centro'), ('officer', 'referente del centro')], max_length=20, verbose_name='ruolo')),
                ('centre', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to='plans.responsibilitycentre', verbose_name='centro')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='centre_memberships', to=settings.AUTH_USER_MODEL, verbose_name='utente')),
            ],
            options={
                'verbose_name': 'componente di un centro',
                'verbose_name_plural': 'componenti dei centri',
                'db_table': 'measurements_centremembership',
                'constraints': [models.UniqueConstraint(fields=('user', 'centre', 'role'), name='meas_membership_unique')],
            },
        ),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=state_operations),
    ]
