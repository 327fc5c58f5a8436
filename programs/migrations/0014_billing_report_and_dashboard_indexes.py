from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0013_pipeline_newest_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="contract",
            index=models.Index(fields=["practice", "status"], name="contract_practice_status"),
        ),
        migrations.AddIndex(
            model_name="program",
            index=models.Index(
                fields=["practice", "status", "ends_on"], name="program_status_ending"
            ),
        ),
        migrations.AddIndex(
            model_name="program",
            index=models.Index(
                fields=["practice", "contract"],
                include=["coach"],
                name="program_contract_coach",
            ),
        ),
    ]
