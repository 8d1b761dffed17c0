"""Abnormal events answered (issue 20): the response times, the action history, the new fields.

The rows are moved in 0010, in a transaction of their own: on PostgreSQL a data update and an
index change in one transaction fail ("pending trigger events").
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('branches', '0008_checkin_and_corrections'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='EventAction',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('report', 'Reported'), ('acknowledge', 'Acknowledged'), ('respond', 'Responded'), ('close', 'Closed'), ('reopen', 'Reopened'), ('escalate', 'Escalated')], max_length=12, verbose_name='action')),
                ('from_status', models.CharField(blank=True, choices=[('reported', 'Reported'), ('acknowledged', 'Acknowledged'), ('responded', 'Responded'), ('closed', 'Closed')], max_length=20, verbose_name='status before')),
                ('to_status', models.CharField(choices=[('reported', 'Reported'), ('acknowledged', 'Acknowledged'), ('responded', 'Responded'), ('closed', 'Closed')], max_length=20, verbose_name='status after')),
                ('at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='when')),
                ('note', models.TextField(blank=True, verbose_name='note')),
            ],
            options={
                'verbose_name': 'event action',
                'verbose_name_plural': 'event actions',
                'ordering': ['at', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='EventResponseTime',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('category', models.CharField(choices=[('bank_policy', 'Bank policy change'), ('competitor_product', 'Competitor product on the counter'), ('staff_change', 'Bank staff change'), ('communication', 'Communication trouble'), ('government_bonds', 'Government bonds on sale'), ('securities_promotion', 'Securities firm promotion'), ('bank_surrender', 'Surrender caused by the bank'), ('competitor_campaign', 'Competitor campaign'), ('other', 'Other')], max_length=30, unique=True, verbose_name='category')),
                ('response_hours', models.PositiveIntegerField(help_text="From the report to the company's response; later, it goes up a level.", verbose_name='response time (hours)')),
            ],
            options={
                'verbose_name': 'event response time',
                'verbose_name_plural': 'event response times',
                'ordering': ['category'],
            },
        ),
        migrations.AddField(
            model_name='abnormalevent',
            name='escalated_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='escalated at'),
        ),
        migrations.AddField(
            model_name='abnormalevent',
            name='escalated_to',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='escalated to'),
        ),
        migrations.AddField(
            model_name='abnormalevent',
            name='respond_by',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='respond by'),
        ),
        migrations.AddField(
            model_name='abnormalevent',
            name='responded_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='responded at'),
        ),
        migrations.AddField(
            model_name='abnormalevent',
            name='responded_by',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='responded by'),
        ),
        migrations.AlterField(
            model_name='abnormalevent',
            name='company_response',
            field=models.TextField(blank=True, editable=False, verbose_name='company response'),
        ),
        migrations.AlterField(
            model_name='abnormalevent',
            name='created_at',
            field=models.DateTimeField(auto_now_add=True, verbose_name='reported at'),
        ),
        migrations.AlterField(
            model_name='abnormalevent',
            name='status',
            field=models.CharField(choices=[('reported', 'Reported'), ('acknowledged', 'Acknowledged'), ('responded', 'Responded'), ('closed', 'Closed')], default='reported', editable=False, max_length=20, verbose_name='follow-up status'),
        ),
        migrations.AddIndex(
            model_name='abnormalevent',
            index=models.Index(fields=['escalated_at', 'respond_by'], name='event_escalation'),
        ),
        migrations.AddIndex(
            model_name='abnormalevent',
            index=models.Index(fields=['status', 'category', 'occurred_on'], name='event_open_groups'),
        ),
        migrations.AddField(
            model_name='eventaction',
            name='actor',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='by'),
        ),
        migrations.AddField(
            model_name='eventaction',
            name='event',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='actions', to='branches.abnormalevent', verbose_name='event'),
        ),
        migrations.AddConstraint(
            model_name='eventresponsetime',
            constraint=models.CheckConstraint(condition=models.Q(('response_hours__gt', 0)), name='event_response_hours_positive'),
        ),
        migrations.AddIndex(
            model_name='eventaction',
            index=models.Index(fields=['event', 'at'], name='branches_ev_event_i_68fc2e_idx'),
        ),
    ]
