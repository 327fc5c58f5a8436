"""The billing report of a period (#11): each payment carries its invoice's practice and
currency (copied from the invoice here, and by billing.services.record_payment from now on),
and the indexes the report's queries read from."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Q


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("billing", "0001_initial"),
        ("programs", "0014_billing_report_and_dashboard_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="payment",
            name="practice",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="accounts.practice",
            ),
        ),
        migrations.AddField(
            model_name="payment",
            name="currency",
            field=models.CharField(default="", max_length=3),
        ),
        migrations.RunSQL(
            "UPDATE billing_payment SET practice_id = i.practice_id, currency = i.currency "
            "FROM billing_invoice i WHERE i.id = billing_payment.invoice_id",
            migrations.RunSQL.noop,
        ),
        migrations.AlterField(
            model_name="payment",
            name="practice",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="accounts.practice",
            ),
        ),
        migrations.AlterField(
            model_name="payment",
            name="currency",
            field=models.CharField(max_length=3),
        ),
        # A join, not a column: nothing to do in the database, either way (and Django's
        # SQLite schema editor cannot remove a ForeignObject when migrating back).
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="invoice",
                    name="contract_program",
                    field=models.ForeignObject(
                        from_fields=["contract"],
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="programs.program",
                        to_fields=["contract"],
                    ),
                ),
            ],
        ),
        migrations.AddIndex(
            model_name="invoice",
            index=models.Index(
                condition=~Q(status__in=["draft", "void"]),
                fields=["practice", "issued_on"],
                include=["currency", "total_minor", "paid_minor", "contract"],
                name="invoice_report_issued",
            ),
        ),
        migrations.AddIndex(
            model_name="invoice",
            index=models.Index(
                condition=Q(payer="sponsor") & ~Q(status__in=["draft", "void"]),
                fields=["practice", "issued_on"],
                include=["bill_to_name", "currency", "total_minor", "paid_minor"],
                name="invoice_report_sponsor",
            ),
        ),
        migrations.AddIndex(
            model_name="invoice",
            index=models.Index(
                condition=Q(status__in=["issued", "partly_paid", "overdue"]),
                fields=["practice", "due_on", "id"],
                include=["currency", "total_minor", "paid_minor"],
                name="invoice_open_by_due",
            ),
        ),
        migrations.AddIndex(
            model_name="payment",
            index=models.Index(
                fields=["practice", "paid_on"],
                include=["currency", "amount_minor"],
                name="payment_report_paid",
            ),
        ),
    ]
