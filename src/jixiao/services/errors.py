"""Errors a service reports to a person, in Chinese."""

from jixiao.errors import UserFacingError


class NotFound(UserFacingError, LookupError):
    """The department or year asked for is not stored."""
