"""Settings of the command line: ``jixiao.settings`` without the API docs app.

``ninja`` is installed only for the API docs page's templates and static files, which no
command but ``serve`` needs (``serve`` keeps ``jixiao.settings``); importing it costs a
quarter of a second on every command.
"""

from jixiao.settings import *  # noqa: F403
from jixiao.settings import INSTALLED_APPS as _ALL_APPS

INSTALLED_APPS = [app for app in _ALL_APPS if app != "ninja"]
