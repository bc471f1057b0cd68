"""Sign-in delays by account and by source address (the throttle rows are keyed anew; counts in progress are
dropped), and bearer tokens that their holder can revoke."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0002_role_head"),
    ]

    operations = [
        migrations.DeleteModel(name="LoginThrottle"),
        migrations.CreateModel(
            name="LoginThrottle",
            fields=[
                ("key", models.CharField(max_length=200, primary_key=True, serialize=False)),
                ("failures", models.PositiveIntegerField(default=0)),
                ("first_failure_at", models.DateTimeField(blank=True, null=True)),
                ("retry_at", models.DateTimeField(blank=True, null=True)),
            ],
        ),
        migrations.AddField(
            model_name="usertoken",
            name="revoked_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
