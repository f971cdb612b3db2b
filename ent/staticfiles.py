"""The static files' storage when ``DEBUG`` is off: whitenoise's hashed and compressed one, each
file's address computed once per process.

The manifest is read when the process starts and does not change while it runs, so a file's
hashed address does not either; ``{% static %}`` asks for about fifteen of them on every page
(the DSFR, the icons, the scripts), each a manifest lookup, a URL join and a quoting.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._addresses: dict[str, str] = {}

    def url(self, name, force=False):
        if force:
            return super().url(name, force)
        address = self._addresses.get(name)
        if address is None:
            address = self._addresses[name] = super().url(name)  # a missing file raises, and is not kept
        return address
