"""Give every clue registered before cases existed its case (status from the clue's), with a first event."""

from django.conf import settings
from django.db import migrations
from django.utils import timezone

from jianguan.enforcement.history import GENESIS, event_hash

STATUS = {"open": "clue", "filed": "investigating", "not_filed": "not_filed"}


def forwards(apps, schema_editor):
    Clue = apps.get_model("enforcement", "Clue")
    Case = apps.get_model("enforcement", "Case")
    CaseEvent = apps.get_model("enforcement", "CaseEvent")
    CaseSequence = apps.get_model("enforcement", "CaseSequence")
    for clue in Clue.objects.filter(case__isnull=True).select_related("entity").order_by("pk"):
        year = clue.created_at.year
        sequence, _ = CaseSequence.objects.get_or_create(department_id=clue.department_id, year=year)
        sequence.last += 1
        sequence.save(update_fields=["last"])
        entity = clue.entity
        case = Case.objects.create(
            number=f"AJ{year}-{clue.department_id:04d}-{sequence.last:05d}", department_id=clue.department_id,
            region_id=clue.region_id, clue=clue, status=STATUS[clue.status], source=clue.source,
            source_ref=clue.source_ref, summary=clue.summary, entity=entity, party_name=clue.party_name,
            party_code=entity.uscc if entity else "", party_address=entity.registered_address if entity else "",
            received_on=clue.received_on, check_due=clue.check_due,
            filed_on=timezone.localtime(clue.updated_at).date() if clue.status == "filed" else None)
        values = {"case": case.number, "seq": 1, "occurred_at": timezone.now(), "on": clue.received_on,
                  "actor_kind": "system", "actor_id": "migration", "actor_label": "系统：migration",
                  "verb": "register", "from_status": "", "to_status": case.status,
                  "data": {"source": clue.source, "source_ref": clue.source_ref, "clue": clue.number},
                  "document_id": None, "document_sha256": "", "supersedes": None,
                  "algorithm": settings.JIANGUAN_AUDIT_HASH, "prev_hash": GENESIS}
        values["hash"] = event_hash(values)
        CaseEvent.objects.create(**{**values, "case": case})
        Case.objects.filter(pk=case.pk).update(event_count=1, last_hash=values["hash"])


class Migration(migrations.Migration):
    dependencies = [("enforcement", "0003_case_events_append_only")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
