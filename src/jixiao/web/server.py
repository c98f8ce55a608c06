"""Run the web application under gunicorn (production WSGI server), in-process."""

from __future__ import annotations

from typing import Any

import gunicorn.http.wsgi
from gunicorn.app.base import BaseApplication


class JixiaoServer(BaseApplication):  # type: ignore[misc]
    """gunicorn configured from a dictionary, serving ``jixiao.web.wsgi.application``."""

    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        known = self.cfg.settings
        for key, value in self.options.items():
            if key in known and value is not None:
                self.cfg.set(key, value)

    def load(self) -> Any:
        from jixiao.web.wsgi import application

        return application


def gunicorn_options(host: str, port: int, workers: int) -> dict[str, Any]:
    return {
        "bind": f"{host}:{port}",
        "workers": workers,
        "proc_name": "jixiao",
        "accesslog": "-",
        "errorlog": "-",
        "timeout": 120,  # generating a report can take a while
        "control_socket_disable": True,  # no control socket in the user's home folder
    }


def run_gunicorn(host: str, port: int, workers: int) -> None:
    """Serve until interrupted (gunicorn exits the process when it stops)."""
    from django.db import connections

    connections.close_all()  # never share the master's connections with forked workers
    gunicorn.http.wsgi.SERVER = "jixiao"  # answered as the Server header, not "gunicorn"
    JixiaoServer(gunicorn_options(host, port, workers)).run()
