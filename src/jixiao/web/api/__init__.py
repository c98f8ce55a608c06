"""The JSON API under ``/api/`` (django-ninja): see ``api.py`` and the web README."""
