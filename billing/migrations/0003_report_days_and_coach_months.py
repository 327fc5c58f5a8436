"""The billing report's days and coach months (#11): what each practice invoiced and received
on a day, and what its invoices of a month come to by coach, kept by billing.services from now
on, and filled here from the invoices and payments there are."""

import django.db.models.deletion
from django.db import migrations, models


def fill(apps, schema_editor):
    """The rows from the invoices and payments there are (as billing.services'
    report_days_rebuild computes them, with this migration's models)."""
    from billing.services import report_coach_months_rows, report_days_rows

    invoices = apps.get_model("billing", "Invoice")._default_manager.all()
    payments = apps.get_model("billing", "Payment")._default_manager.all()
    day = apps.get_model("billing", "ReportDay")
    month = apps.get_model("billing", "ReportCoachMonth")
    day._default_manager.bulk_create(
        [
            day(practice_id=practice, day=on, currency=currency, **sums)
            for (practice, on, currency), sums in report_days_rows(invoices, payments).items()
        ],
        batch_size=1000,
    )
    month._default_manager.bulk_create(
        [
            month(practice_id=practice, month=first, coach_key=coach, currency=currency, **sums)
            for (practice, first, coach, currency), sums in report_coach_months_rows(
                invoices
            ).items()
        ],
        batch_size=1000,
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
