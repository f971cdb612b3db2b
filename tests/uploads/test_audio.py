"""Recordings: decoded with PyAV, transcoded to AAC in .m4a, duration recorded and bounded."""

import io

import av
import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage

from uploads.checks import audio_format
from uploads.models import MediaFile
from uploads.services import media_upload

from . import samples

pytestmark = pytest.mark.django_db


def _upload_audio(process_now, user, name, data) -> MediaFile:
    return process_now(media_upload, file=samples.upload(name, data), kind="audio", uploaded_by=user)


def _reopen(media: MediaFile) -> tuple[str, str, float, float]:
    """(container, codec, duration from the container, duration of the decoded samples)."""
    with default_storage.open(media.audio.name, "rb") as handle, av.open(io.BytesIO(handle.read())) as container:
        stream = container.streams.audio[0]
        decoded = sum(frame.samples for frame in container.decode(stream)) / stream.codec_context.sample_rate
        return container.format.name, stream.codec_context.name, container.duration / av.time_base, decoded


@pytest.mark.slow  # PyAV encodes and transcodes
@pytest.mark.parametrize(
    ("name", "fmt", "codec", "rate"),
    [
        ("dictaphone.webm", "webm", "libopus", 48_000),  # Chrome, Firefox
        ("enregistrement.mp4", "mp4", "aac", 44_100),  # Safari
        ("note.ogg", "ogg", "libopus", 48_000),
        ("chanson.mp3", "mp3", "libmp3lame", 44_100),
        ("lecture.wav", "wav", "pcm_s16le", 16_000),
    ],
)
def test_a_recording_becomes_a_playable_m4a_of_the_same_duration(process_now, teacher, name, fmt, codec, rate):
    media = _upload_audio(process_now, teacher, name, samples.sine(fmt, codec, seconds=2.0, rate=rate))

    assert media.status == MediaFile.Status.READY, media.error
    assert media.audio.name.endswith(".m4a") and media.audio.name.startswith("uploads/audio/")
    container, codec_name, duration, decoded = _reopen(media)
    assert "mp4" in container.split(",") and codec_name == "aac"
    assert duration == pytest.approx(2.0, abs=0.1)
    assert decoded >= 1.95  # it plays to the end (AAC adds priming samples the edit list hides)
    assert media.duration == pytest.approx(2.0, abs=0.1)
    assert media.duration_label == "2 s"
    assert media.content_type == "audio/mp4"
    assert media.size == media.audio.size
    assert media.original.name == "" and default_storage.listdir("uploads/originaux")[1] == []


@pytest.mark.slow  # PyAV encodes and transcodes
def test_a_stereo_recording_stays_stereo(process_now, teacher):
    media = _upload_audio(process_now, teacher, "duo.webm", samples.sine("webm", "libopus", 1.0, layout="stereo"))

    with default_storage.open(media.audio.name, "rb") as handle, av.open(io.BytesIO(handle.read())) as container:
        assert container.streams.audio[0].codec_context.layout.nb_channels == 2


@pytest.mark.slow  # PyAV encodes and transcodes
def test_a_recording_over_the_duration_bound_is_refused(process_now, teacher, settings):
    settings.ENT_UPLOAD_MAX_AUDIO_SECONDS = 60
    media = _upload_audio(process_now, teacher, "long.webm", samples.sine("webm", "libopus", seconds=61.5))

    assert media.status == MediaFile.Status.FAILED
    assert media.error == "L’enregistrement est trop long : il ne doit pas dépasser 1 minute."
    assert not media.audio and media.original.name == ""


@pytest.mark.slow  # PyAV encodes and transcodes
def test_the_duration_is_measured_even_when_the_container_does_not_say(process_now, teacher, settings):
    """Browsers' MediaRecorder writes WebM without a duration: the decoded length counts."""
    settings.ENT_UPLOAD_MAX_AUDIO_SECONDS = 2
    data = samples.sine("webm", "libopus", seconds=3.0)
    # Blank the Duration element (ID 0x4489) as a live recorder leaves it.
    position = data.index(b"\x44\x89")
    size = data[position + 2] & 0x7F
    stripped = data[: position + 3] + b"\x00" * size + data[position + 3 + size :]
    with av.open(io.BytesIO(stripped), format="matroska") as container:
        assert (container.duration or 0) < 2_000_000

    media = _upload_audio(process_now, teacher, "live.webm", stripped)

    assert media.status == MediaFile.Status.FAILED
    assert "trop long" in media.error and "2 secondes" in media.error


@pytest.mark.slow  # PyAV encodes and transcodes
@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("enregistrement.webm", "webm"),  # Chrome, Edge: WebM/Opus without a duration
        ("enregistrement.ogg", "ogg"),  # Firefox: Ogg/Opus
        ("enregistrement.m4a", "mp4"),  # Safari: fragmented MP4/AAC
    ],
)
def test_a_dictaphone_recording_becomes_an_m4a_of_its_length(process_now, teacher, name, fmt):
    data = samples.recording(fmt, seconds=3.0)
    with av.open(io.BytesIO(data), format=audio_format(data[:64])) as written:
        if fmt == "webm":
            assert written.duration is None  # nothing in the header says how long it is
        if fmt == "mp4":
            assert b"mvex" in data and b"moof" in data  # fragmented

    media = _upload_audio(process_now, teacher, name, data)

    assert media.status == MediaFile.Status.READY, media.error
    assert media.audio.name.endswith(".m4a")
    container, codec_name, duration, decoded = _reopen(media)
    assert "mp4" in container.split(",") and codec_name == "aac"
    assert media.duration == pytest.approx(3.0, abs=0.1)
    assert duration == pytest.approx(3.0, abs=0.1)  # the .m4a says it, for every player
    assert decoded >= 2.95
    assert media.duration_label == "3 s"


def test_a_file_that_is_not_audio_is_refused_at_once(teacher):
    with pytest.raises(ValidationError) as refusal:
        media_upload(file=samples.upload("voix.mp3", samples.pdf_bytes()), kind="audio", uploaded_by=teacher)

    assert "n’est pas un enregistrement audio" in refusal.value.messages[0]
    assert not MediaFile.objects.exists()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("faux.ogg", b"OggS" + b"\x00" * 500),
        ("faux.webm", b"\x1a\x45\xdf\xa3" + b"junk" * 200),
        ("faux.wav", b"RIFF\x00\x00\x00\x00WAVE" + b"junk" * 200),
    ],
)
def test_a_file_with_an_audio_signature_but_no_sound_is_refused(process_now, teacher, name, data):
    media = _upload_audio(process_now, teacher, name, data)

    assert media.status == MediaFile.Status.FAILED
    assert media.error.startswith("Ce fichier n’est pas un enregistrement audio lisible")
    assert media.original.name == ""


@pytest.mark.slow  # PyAV encodes and transcodes
def test_a_video_without_sound_is_refused(process_now, teacher):
    media = _upload_audio(process_now, teacher, "video.webm", samples.video_only_webm())

    assert media.status == MediaFile.Status.FAILED
    assert media.error == "Ce fichier ne contient aucune piste audio."


@pytest.mark.slow  # PyAV encodes and transcodes
def test_a_recording_over_the_byte_bound_is_refused_at_once(teacher, settings):
    settings.ENT_UPLOAD_MAX_AUDIO_BYTES = 1000
    with pytest.raises(ValidationError) as refusal:
        media_upload(
            file=samples.upload("a.webm", samples.sine("webm", "libopus", 1.0)), kind="audio", uploaded_by=teacher
        )

    assert "trop lourd" in refusal.value.messages[0]


@pytest.mark.parametrize(
    ("seconds", "label"), [(45.2, "45 s"), (125.4, "2 min 05 s"), (600, "10 min 00 s"), (3725, "1 h 02 min 05 s")]
)
def test_duration_label(seconds, label):
    assert MediaFile(kind="audio", duration=seconds).duration_label == label
