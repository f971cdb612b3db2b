"""The dictaphone (templates/components/dictaphone.html, static/ent/dictaphone.js) in a real Chromium.

Chromium's fake microphone (a beeping tone, permission granted without asking) records about 3 s
with a pause in the middle; the recording is listened to, sent with the form, and comes out of
uploads as an .m4a of about 3 s that the page plays. Where the page cannot record (no
MediaRecorder, the microphone refused), it says so in French and the plain file input still sends
a recording. axe finds no violation in any state. The page is the test app's (tests/testapp)."""

import io
import re

import av
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.factories import DEMO_PASSWORD
from uploads.models import MediaFile

from . import samples

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("tests.testapp.urls"),
]

FAKE_MICROPHONE = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]
PAGE = "/essais/dictaphone/"


@pytest.fixture
def chromium_args(chromium_args):
    return [*chromium_args, *FAKE_MICROPHONE]


@pytest.fixture
def watched_page(page):
    """The page, with every script error and CSP refusal collected in ``page.problems``."""
    page.problems = []
    page.on("console", lambda message: page.problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    return page


def log_in(page, base_url, email):
    page.goto(f"{base_url}/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{base_url}/")


def clock_reads(page, text: str) -> None:
    """Wait (checking at each frame) until the time counter shows ``text``."""
    page.wait_for_function(
        "(text) => document.querySelector('[data-ent-dictaphone-time]').textContent === text", arg=text
    )


def axe_violations(page) -> list[str]:
    violations = Axe().run(page).response["violations"]
    return [f"{v['id']}: {[node['target'] for node in v['nodes'][:3]]}" for v in violations]


def played_seconds(page, selector: str) -> float:
    """Play the <audio> at ``selector`` from the start for a moment; where it got to (s)."""
    return page.evaluate(
        """async (selector) => {
            const audio = document.querySelector(selector);
            audio.muted = true;
            audio.currentTime = 0;
            await audio.play();
            await new Promise((done) => setTimeout(done, 700));
            audio.pause();
            return audio.currentTime;
        }""",
        selector,
    )


def served_duration(page, selector: str) -> float:
    return page.evaluate(
        """(selector) => new Promise((done, fail) => {
            const audio = document.querySelector(selector);
            const answer = () => done(audio.duration);
            if (audio.readyState >= 1) { answer(); return; }
            audio.addEventListener("loadedmetadata", answer);
            audio.addEventListener("error", () => fail(new Error("the audio did not load")));
            audio.load();
        })""",
        selector,
    )


def test_record_pause_resume_listen_back_and_send(live_server, watched_page, teacher):
    page = watched_page
    log_in(page, live_server.url, teacher.email)
    page.goto(live_server.url + PAGE)
    status = page.locator("[data-ent-dictaphone-status]")
    recorder = page.get_by_role("group", name="Ou enregistrez avec le micro")
    clock = page.locator("[data-ent-dictaphone-time]")
    # The module found a browser that records: the recorder is shown, the input chooses a file.
    expect(recorder).to_be_visible()
    expect(page.get_by_label("Lecture enregistrée")).not_to_have_attribute("capture", re.compile(".*"))
    expect(page.locator("[data-ent-dictaphone-limit]")).to_have_text(" / 15:00 au plus")
    expect(page.get_by_label("Niveau du micro")).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(status).to_have_text("Enregistrement en cours")
    expect(page.get_by_role("button", name="Mettre en pause")).to_be_focused()
    expect(page.get_by_role("button", name="Enregistrer", exact=True)).to_be_hidden()
    # The level meter follows the fake microphone's beeps.
    page.wait_for_function("() => document.querySelector('[data-ent-dictaphone-meter]').value > 10")
    clock_reads(page, "0:01")
    page.keyboard.press("Enter")  # « Mettre en pause », from the keyboard
    expect(status).to_have_text("En pause")
    expect(page.get_by_role("button", name="Reprendre")).to_be_focused()
    page.wait_for_timeout(1500)  # not counted
    expect(clock).to_have_text("0:01")
    page.get_by_role("button", name="Reprendre").click()
    expect(status).to_have_text("Enregistrement en cours")
    expect(page.get_by_role("button", name="Mettre en pause")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Arrêter")).to_be_focused()
    clock_reads(page, "0:03")
    page.keyboard.press("Enter")

    expect(status).to_have_text("Enregistrement terminé : 3 secondes. Il sera envoyé avec le formulaire.")
    player = page.get_by_label("Écouter l’enregistrement")
    expect(player).to_be_visible()
    expect(player).to_be_focused()
    expect(page.get_by_role("button", name="Enregistrer à nouveau")).to_be_visible()
    expect(clock).to_have_text("0:03")
    # The microphone is released once stopped.
    assert page.evaluate("document.querySelector('[data-ent-dictaphone-meter]').value") == 0
    # The recording is the input's file, named after the type the browser recorded.
    chosen = page.evaluate(
        "(() => { const f = document.querySelector('#id_audio').files[0]; return [f.name, f.type, f.size]; })()"
    )
    assert re.fullmatch(r"enregistrement-\d{4}-\d\d-\d\d-\d\dh\d{4}\.webm", chosen[0]), chosen
    assert chosen[1] == "audio/webm" and chosen[2] > 1000
    # What Chrome wrote: WebM/Opus whose header gives no duration (the .m4a made from it will).
    written = bytes(
        page.evaluate(
            "async () => Array.from(new Uint8Array(await document.querySelector('#id_audio').files[0].arrayBuffer()))"
        )
    )
    with av.open(io.BytesIO(written), format="matroska") as container:
        assert container.duration is None
        assert container.streams.audio[0].codec_context.name == "opus"
    assert played_seconds(page, "[data-ent-dictaphone-player]") > 0.3  # listened back
    assert axe_violations(page) == []

    page.get_by_role("button", name="Envoyer l’enregistrement").click()
    page.wait_for_url(re.compile(r"\?envoi=\d+$"))

    media = MediaFile.objects.get()
    assert media.status == MediaFile.Status.READY, media.error
    assert media.uploaded_by == teacher and media.original_name == chosen[0]
    assert media.audio.name.endswith(".m4a") and media.content_type == "audio/mp4"
    assert media.duration == pytest.approx(3.0, abs=0.5)
    # The page plays the processed .m4a, of the same length.
    served = page.locator("audio.ent-media__audio")
    expect(served).to_have_accessible_name(re.compile(r"^Lecture envoyée, durée [234] s$"))
    assert served_duration(page, "audio.ent-media__audio") == pytest.approx(media.duration, abs=0.2)
    assert played_seconds(page, "audio.ent-media__audio") > 0.3
    assert axe_violations(page) == []
    assert page.problems == []


def test_record_again_replaces_the_recording_and_sending_while_recording_keeps_it(live_server, watched_page, teacher):
    page = watched_page
    log_in(page, live_server.url, teacher.email)
    page.goto(live_server.url + PAGE)
    status = page.locator("[data-ent-dictaphone-status]")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(status).to_have_text("Enregistrement en cours")
    clock_reads(page, "0:01")
    page.get_by_role("button", name="Arrêter").click()
    # Stopped once the clock reads 0:01: one second, or two when a loaded machine clicks late.
    expect(status).to_contain_text(re.compile(r"Enregistrement terminé : (1 seconde|2 secondes)\."))
    first = page.evaluate("document.querySelector('#id_audio').files[0].size")

    page.get_by_role("button", name="Enregistrer à nouveau").click()
    expect(status).to_have_text("Enregistrement en cours")
    expect(page.get_by_label("Écouter l’enregistrement")).to_be_hidden()
    assert page.evaluate("document.querySelector('#id_audio').files.length") == 0
    clock_reads(page, "0:02")
    # Sent while recording: the recording is ended, then the form goes with it.
    page.get_by_role("button", name="Envoyer l’enregistrement").click()
    page.wait_for_url(re.compile(r"\?envoi=\d+$"))

    media = MediaFile.objects.get()
    assert media.status == MediaFile.Status.READY, media.error
    assert media.duration == pytest.approx(2.0, abs=0.5)
    assert media.size != first
    assert page.problems == []


@pytest.mark.parametrize(
    ("why", "init_script", "message", "shown_at_once"),
    [
        (
            "no MediaRecorder",
            "delete window.MediaRecorder;",
            "Ce navigateur ne permet pas d’enregistrer ici : choisissez un fichier audio, "
            "ou enregistrez-le avec l’application de votre téléphone.",
            True,
        ),
        (
            "microphone refused",
            "navigator.mediaDevices.getUserMedia = () => "
            "Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));",
            "L’accès au micro a été refusé : autorisez le micro pour ce site dans les réglages du navigateur, "
            "ou choisissez un fichier audio.",
            False,
        ),
        (
            "no microphone",
            "navigator.mediaDevices.getUserMedia = () => "
            "Promise.reject(new DOMException('Requested device not found', 'NotFoundError'));",
            "Aucun micro n’a été trouvé sur cet appareil : branchez-en un, ou choisissez un fichier audio.",
            False,
        ),
    ],
)
def test_where_recording_is_impossible_the_page_says_so_and_the_file_input_works(
    live_server, watched_page, teacher, why, init_script, message, shown_at_once
):
    page = watched_page
    page.add_init_script(init_script)
    log_in(page, live_server.url, teacher.email)
    page.goto(live_server.url + PAGE)
    status = page.locator("[data-ent-dictaphone-status]")
    field = page.get_by_label("Lecture enregistrée")
    if shown_at_once:
        expect(status).to_have_text(message)
        expect(page.get_by_role("group", name="Ou enregistrez avec le micro")).to_be_hidden()
        # A phone then opens its own recorder from the file input.
        expect(field).to_have_attribute("capture", "")
    else:
        page.get_by_role("button", name="Enregistrer", exact=True).click()
        expect(status).to_have_text(message)
        expect(page.get_by_role("button", name="Enregistrer", exact=True)).to_be_focused()  # to try again
    expect(field).to_have_attribute("accept", re.compile(r"^audio/\*"))
    assert axe_violations(page) == []

    field.set_input_files(
        files=[{"name": "lecture.ogg", "mimeType": "audio/ogg", "buffer": samples.sine("ogg", "libopus", 1.5)}]
    )
    page.get_by_role("button", name="Envoyer l’enregistrement").click()
    page.wait_for_url(re.compile(r"\?envoi=\d+$"))

    media = MediaFile.objects.get()
    assert media.status == MediaFile.Status.READY, media.error
    assert media.original_name == "lecture.ogg" and media.audio.name.endswith(".m4a")
    assert media.duration == pytest.approx(1.5, abs=0.1)
    assert page.problems == []


def test_where_webm_is_not_recorded_the_next_type_asked_is_mp4(live_server, watched_page, teacher):
    """Safari's case, in Chromium: without WebM the module asks for audio/mp4 (a fragmented MP4)
    and names the file after the type the recorder reports once started."""
    page = watched_page
    page.add_init_script(
        "const supported = MediaRecorder.isTypeSupported.bind(MediaRecorder);"
        "MediaRecorder.isTypeSupported = (type) => !type.startsWith('audio/webm') && supported(type);"
    )
    log_in(page, live_server.url, teacher.email)
    page.goto(live_server.url + PAGE)
    status = page.locator("[data-ent-dictaphone-status]")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(status).to_have_text("Enregistrement en cours")
    clock_reads(page, "0:02")
    page.get_by_role("button", name="Arrêter").click()
    expect(status).to_contain_text("Enregistrement terminé : 2 secondes.")
    chosen = page.evaluate(
        "(() => { const f = document.querySelector('#id_audio').files[0]; return [f.name, f.type]; })()"
    )
    assert chosen[0].endswith(".m4a") and chosen[1] == "audio/mp4", chosen
    written = bytes(
        page.evaluate(
            "async () => Array.from(new Uint8Array(await document.querySelector('#id_audio').files[0].arrayBuffer()))"
        )
    )
    assert written[4:8] == b"ftyp" and b"moof" in written  # a fragmented MP4

    page.get_by_role("button", name="Envoyer l’enregistrement").click()
    page.wait_for_url(re.compile(r"\?envoi=\d+$"))

    media = MediaFile.objects.get()
    assert media.status == MediaFile.Status.READY, media.error
    assert media.audio.name.endswith(".m4a")
    assert media.duration == pytest.approx(2.0, abs=0.5)
    assert page.problems == []


def test_the_recording_stops_at_the_uploads_length_bound_and_is_accepted(live_server, watched_page, teacher, settings):
    settings.ENT_UPLOAD_MAX_AUDIO_SECONDS = 2
    page = watched_page
    log_in(page, live_server.url, teacher.email)
    page.goto(live_server.url + PAGE)
    status = page.locator("[data-ent-dictaphone-status]")
    expect(page.locator("[data-ent-dictaphone-limit]")).to_have_text(" / 0:02 au plus")
    page.get_by_role("button", name="Enregistrer", exact=True).click()

    expect(status).to_have_text(
        "Durée maximale atteinte (2 secondes) : l’enregistrement est arrêté. Il sera envoyé avec le formulaire."
    )
    expect(page.locator("[data-ent-dictaphone-time]")).to_have_text("0:02")
    # Focus was on « Mettre en pause », now hidden: it goes to the player.
    expect(page.get_by_label("Écouter l’enregistrement")).to_be_focused()
    page.get_by_role("button", name="Envoyer l’enregistrement").click()
    page.wait_for_url(re.compile(r"\?envoi=\d+$"))

    media = MediaFile.objects.get()
    assert media.status == MediaFile.Status.READY, media.error  # within the bound the server checks
    assert media.duration == pytest.approx(2.0, abs=0.3)
    assert page.problems == []
