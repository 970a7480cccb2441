#!/usr/bin/env python
"""Django's command line. Commands run in development mode unless told otherwise.

Production runs the server through api.wsgi (gunicorn), where DJANGO_DEBUG defaults to off and
the keys are required; a production shell sets DJANGO_DEBUG=false for its commands as well.
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "api.settings")
    os.environ.setdefault("DJANGO_DEBUG", "true")
    from django.core.management import execute_from_command_line  # noqa: PLC0415 (after the defaults)

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
