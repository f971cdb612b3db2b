from io import StringIO
from types import SimpleNamespace

import pytest

from accounts import demo as accounts_demo
from resources import demo
from resources.models import Document, Folder

pytestmark = pytest.mark.django_db


def test_demo_library(django_capture_on_commit_callbacks):
    command = SimpleNamespace(stdout=StringIO())
    accounts_demo.seed(command)
    with django_capture_on_commit_callbacks(execute=True):
        demo.seed(command)
    demo.seed(command)  # twice: nothing duplicated
    assert Folder.objects.count() == len(demo.FOLDERS)
    assert Document.objects.count() == sum(len(d) for d in demo.DOCUMENTS.values())
    assert Document.objects.filter(version=2).count() == 1
    ppms = Document.objects.get(title="Modèle de PPMS 2026")
    assert ppms.current.status == "ready" and "confinement" in ppms.text
