"""Settings for the test suite: api.settings, with random keys when the environment has none.

Only environment defaults are set here; every value is still read by api.settings' one reader.
Nothing secret is kept in the repository.
"""

import os
import secrets
import tempfile

os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(48))
os.environ.setdefault("JWT_SIGNING_KEY", secrets.token_urlsafe(48))
# The embedded broker's files and the SQLite database go to a folder of this run, not var/.
os.environ.setdefault("KOLLEGA_VAR_DIR", tempfile.mkdtemp(prefix="kollega-test-"))

from api.settings import *  # noqa: F403
