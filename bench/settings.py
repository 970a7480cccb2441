"""The API's own settings, served with the bench's URLconf (the API plus the baseline views).

The booking bench runs the API in a real HTTP server (gunicorn, in processes of its own), where
`override_settings` cannot reach: the URLconf has to come from a settings module.
"""

from api.settings import *  # noqa: F403 (every production setting, unchanged)

ROOT_URLCONF = "bench.urls"
