import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ent.settings")
application = get_wsgi_application()

# What the process keeps for its whole life (settings, apps and models, the URLconf and every view
# module it imports) is set apart from the garbage collector: a full collection then scans only
# what requests make, rather than the hundred thousand objects of the code as well (tens of
# milliseconds each time, and a request reading a thousand rows brings the next one closer:
# docs/architecture/perf.md). Python's gc.freeze(), once the URLconf is loaded.
get_resolver().url_patterns  # noqa: B018 - imports every app's urls and views
gc.collect()
gc.freeze()
