from pathlib import Path

import plotly
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

PLOTLY_JS_DIR = Path(plotly.__file__).parent / "package_data"
PLOTLY_JS_NAME = "plotly.min.js"
SERVED_AS = f"vendor/{PLOTLY_JS_NAME}"


class PlotlyJsFinder(BaseFinder):
    """Serves only plotly.min.js from the plotly package, as vendor/plotly.min.js.

    Pointing STATICFILES_DIRS at package_data would also publish a 4.8 MB
    widget bundle and sample datasets nobody asked for.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.storage = FileSystemStorage(location=str(PLOTLY_JS_DIR))
        self.storage.prefix = "vendor"

    def check(self, **kwargs):
        return []

    def find(self, path, find_all=False, **kwargs):
        if path == SERVED_AS:
            match = str(PLOTLY_JS_DIR / PLOTLY_JS_NAME)
            return [match] if find_all else match
        return [] if find_all else None

    def list(self, ignore_patterns):
        yield PLOTLY_JS_NAME, self.storage
