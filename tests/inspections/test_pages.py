"""The pages of an inspection, the field page with its service worker, and the field modules' imports."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from jianguan.inspections import submission, views
from jianguan.inspections.models import Evidence
from tests.inspections.world import _upload, completed, jpeg, opened, png

pytestmark = pytest.mark.django_db


def test_the_pages_of_an_inspection(world, signed_in, api):
    inspection = opened(world)
    _upload(api(world["officer"]), inspection.pk, jpeg())
    submitted = submission.inspection_submit(actor=world["officer"], inspection_id=completed(world, inspection).pk)
    client = signed_in(world["officer"])
    listing = client.get("/inspections/").content.decode()
    assert submitted.number in listing and world["entity"].name in listing
    detail = client.get(f"/inspections/{submitted.pk}/").content.decode()
    assert "进货查验" in detail and "李强" in detail and submitted.documents[0]["number"] in detail
    assert client.get(f"/inspections/{submitted.pk}/signature.png").content == png()
    evidence = Evidence.objects.get()
    assert client.get(f"/inspections/{submitted.pk}/evidence/{evidence.pk}/")["Content-Type"] == "image/jpeg"
    pdf = client.get(f"/inspections/{submitted.pk}/documents/{submitted.documents[0]['id']}/")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_the_field_page_and_its_service_worker(world, signed_in):
    client = signed_in(world["officer"])
    page = client.get("/inspections/field/").content.decode()
    assert 'capture="environment"' in page and '<script type="module" src="/static/inspections/field/main.js">' in page
    assert 'id="field-messages" type="application/json"' in page
    assert "<script>" not in page  # no inline script: CSP allows only files and the nonce
    worker = client.get("/inspections/sw.js")
    assert worker["Content-Type"].startswith("text/javascript")
    assert worker["Service-Worker-Allowed"] == "/inspections/"
    text = worker.content.decode()
    assert '"/inspections/field/"' in text and "clients.claim" in text
    folder = Path(views.__file__).parent / "static" / "inspections" / "field"
    modules = sorted(path.name for path in folder.glob("*.js"))
    assert len(modules) > 1 and "main.js" in modules
    for name in modules:  # every module is kept for offline use, and preloaded beside the entry module
        assert f'"/static/inspections/field/{name}"' in text
        assert name == "main.js" or f'<link rel="modulepreload" href="/static/inspections/field/{name}">' in page


def test_the_field_modules_import_only_modules_of_their_folder():
    """What the service worker keeps is the folder: an import from elsewhere would be missing offline."""
    folder = Path(views.__file__).parent / "static" / "inspections" / "field"
    imports = 0
    for path in folder.glob("*.js"):
        for line in path.read_text().splitlines():
            if line.startswith("import") or (line.startswith("export") and ' from "' in line):
                found = re.fullmatch(r'(?:import|export) \{[\w$, ]+\} from "\./(\w+\.js)";', line)
                assert found and (folder / found[1]).is_file(), (path.name, line)
                imports += 1
    assert imports >= 6  # main.js imports the five others, home.js and form.js the helpers
