# The roles move to the accounts app (accounts 0001 takes them over, same tables):
# here they only leave Django's model state; no table is touched.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('measurements', '0004_mail_preference_and_sent_mail'),
        ('accounts', '0001_accounts_roles_moved'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.DeleteModel(name='OrgRole'),
            migrations.DeleteModel(name='CentreMembership'),
        ]),
    ]
