"""The demo registry: two schools' pupils and answers, written through the services, once."""

import io

import pytest
from django.core.management import call_command

from audit.models import Event
from privacy import demo
from privacy.models import ConsentRequest, GuardianDecision, MediaDeclaration, Pupil
from privacy.selectors import returned_by_class

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


class _Command:
    stdout = io.StringIO()


def test_the_demo_registry(settings, django_capture_on_commit_callbacks):
    settings.DEBUG = True
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=io.StringIO())
    assert Pupil.objects.count() == 20 and ConsentRequest.objects.count() == 2
    counts = (Pupil.objects.count(), GuardianDecision.objects.count())
    demo.seed(_Command())
    assert (Pupil.objects.count(), GuardianDecision.objects.count()) == counts  # idempotent
    dashboard = returned_by_class(request=ConsentRequest.objects.order_by("pk").first())
    assert [row["class_name"] for row in dashboard] == ["CE2", "CM1"]
    assert sum(row["missing"] for row in dashboard) > 0 and sum(row["returned"] for row in dashboard) > 0
    assert GuardianDecision.objects.filter(decision="refusee").exists()
    assert Event.objects.filter(action="privacy.decision.recorded").count() == GuardianDecision.objects.count()
    # The notebooks' demo declared its drawings and recordings.
    assert MediaDeclaration.objects.filter(no_identifiable_pupil=True).exists()
