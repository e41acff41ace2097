# Plan lifecycle (draft, adopted by an act), versions of adopted plans, the rolling
# plan's link to its predecessor and an identity linking an indicator across plans.

import uuid

import django.db.models.deletion
from django.db import migrations, models


def give_identities(apps, schema_editor):
    Indicator = apps.get_model("plans", "Indicator")
    rows = list(Indicator.objects.only("pk"))
    for row in rows:
        row.identity = uuid.uuid4()
    Indicator.objects.bulk_update(rows, ["identity"], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ('plans', '0005_plan_period_settings'),
    ]

    operations = [
        migrations.AddField(
            model_name='plan',
            name='status',
            field=models.CharField(choices=[('draft', 'bozza'), ('adopted', 'adottato')], default='draft', max_length=10, verbose_name='stato'),
        ),
        migrations.AddField(
            model_name='plan',
            name='adoption_act',
            field=models.CharField(blank=True, max_length=200, verbose_name='atto di adozione'),
        ),
        migrations.AddField(
            model_name='plan',
            name='adopted_on',
            field=models.DateField(blank=True, null=True, verbose_name='adottato il'),
        ),
        migrations.AddField(
            model_name='plan',
            name='previous',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='successors', to='plans.plan', verbose_name='piano precedente'),
        ),
        migrations.AddField(
            model_name='indicator',
            name='identity',
            field=models.UUIDField(editable=False, null=True, verbose_name='identità'),
        ),
        migrations.RunPython(give_identities, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name='indicator',
            name='identity',
            field=models.UUIDField(db_index=True, default=uuid.uuid4, editable=False, verbose_name='identità'),
        ),
        migrations.CreateModel(
            name='PlanVersion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.PositiveIntegerField(verbose_name='versione')),
                ('at', models.DateTimeField(auto_now_add=True, verbose_name='quando')),
                ('username', models.CharField(blank=True, max_length=150, verbose_name='utente')),
                ('action', models.CharField(max_length=20, verbose_name='azione')),
                ('reason', models.TextField(blank=True, verbose_name='motivo')),
                ('snapshot', models.JSONField(verbose_name='piano')),
                ('changes', models.JSONField(default=list, verbose_name='modifiche')),
                ('plan', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='versions', to='plans.plan', verbose_name='piano')),
            ],
            options={
                'verbose_name': 'versione del piano',
                'verbose_name_plural': 'versioni del piano',
                'ordering': ['plan', 'number'],
                'constraints': [models.UniqueConstraint(fields=('plan', 'number'), name='plans_version_unique')],
            },
        ),
    ]
