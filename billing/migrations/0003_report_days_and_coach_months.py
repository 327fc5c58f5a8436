"""The billing report's days and coach months (#11): what each practice invoiced and received
on a day, and what its invoices of a month come to by coach, kept by billing.services from now
on, and filled here from the invoices and payments there are."""

import django.db.models.deletion
from django.db import migrations, models


def fill(apps, schema_editor):
    from billing.services import report_days_rebuild

    report_days_rebuild(
        invoices=apps.get_model("billing", "Invoice"),
        payments=apps.get_model("billing", "Payment"),
        days=apps.get_model("billing", "ReportDay"),
        coach_months=apps.get_model("billing", "ReportCoachMonth"),
    )


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0006_membership_active_role_count'),
        ('billing', '0002_report_period_indexes_payment_practice'),
    ]

    operations = [
        migrations.CreateModel(
            name='ReportCoachMonth',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField()),
                ('coach_key', models.BigIntegerField()),
                ('currency', models.CharField(max_length=3)),
                ('invoiced_minor', models.BigIntegerField(default=0)),
                ('invoiced_count', models.IntegerField(default=0)),
                ('received_minor', models.BigIntegerField(default=0)),
                ('practice', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='accounts.practice')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('practice', 'month', 'coach_key', 'currency'), name='report_coach_month_once')],
            },
        ),
        migrations.CreateModel(
            name='ReportDay',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField()),
                ('currency', models.CharField(max_length=3)),
                ('invoiced_minor', models.BigIntegerField(default=0)),
                ('invoiced_count', models.IntegerField(default=0)),
                ('received_minor', models.BigIntegerField(default=0)),
                ('received_count', models.IntegerField(default=0)),
                ('practice', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='accounts.practice')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('practice', 'day', 'currency'), name='report_day_once')],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
