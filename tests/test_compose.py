"""docker-compose.yml: every service has a healthcheck, web and worker scale behind nginx, migrations
run once; ``docker compose config`` accepts it (the compose plugin, or Debian's ``docker-compose``,
which ``.ci/run`` installs: neither needs a Docker engine)."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

COMPOSE = Path(__file__).resolve().parent.parent / "docker-compose.yml"


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load(COMPOSE.read_text())


def test_every_long_running_service_has_a_healthcheck(compose):
    services = compose["services"]
    assert {name for name, service in services.items() if "healthcheck" in service} == {
        "db",
        "redis",
        "web",
        "nginx",
        "worker",
        "beat",
    }
    assert "/sante/" in " ".join(services["web"]["healthcheck"]["test"])


def test_web_and_worker_can_scale(compose):
    for name in ("web", "worker"):
        service = compose["services"][name]
        # A fixed name or a published port would stop a second container from starting.
        assert "container_name" not in service and "ports" not in service
    assert "migrate" not in " ".join(compose["services"]["web"]["command"])
    assert compose["services"]["web"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert compose["services"]["migrate"]["restart"] == "no"


def _compose_command():
    docker = shutil.which("docker")
    if docker and subprocess.run([docker, "compose", "version"], capture_output=True).returncode == 0:
        return [docker, "compose"]
    if shutil.which("docker-compose"):
        return [shutil.which("docker-compose")]
    if os.environ.get("ENT_REQUIRE_SERVICES") == "1":
        pytest.fail("neither `docker compose` nor `docker-compose` is installed")
    pytest.skip("neither `docker compose` nor `docker-compose` is installed")


def test_docker_compose_accepts_the_file():
    result = subprocess.run(
        [*_compose_command(), "-f", str(COMPOSE), "config", "--quiet"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
