from ent.forms import DsfrForm
from uploads.forms import AudioUploadField


class RecordingForm(DsfrForm):
    """A test-only form with one recording, drawn by the dictaphone component."""

    files_not_kept = "L’enregistrement n’a pas pu être gardé : enregistrez-le ou choisissez-le à nouveau."
    files_not_kept_field = "audio"

    audio = AudioUploadField(label="Lecture enregistrée")
