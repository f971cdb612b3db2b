"""The web process's entry point: what it keeps for its whole life is set apart from the collector."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow  # Django started in a subprocess


def test_the_web_process_freezes_its_code_once_the_urlconf_is_loaded():
    script = (
        "import gc, sys; import ent.wsgi; "
        "print(gc.get_freeze_count(), 'timeline.views' in sys.modules, 'mail.views.mailbox' in sys.modules)"
    )
    environment = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )

    assert done.returncode == 0, done.stderr
    frozen, *loaded = done.stdout.split()
    assert int(frozen) > 50_000  # the code's objects, not a handful
    assert loaded == ["True", "True"]  # every app's views imported before the freeze
