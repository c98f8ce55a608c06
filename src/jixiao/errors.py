"""Errors whose message is written for the person at the keyboard, in Chinese."""


class UserFacingError(Exception):
    """The message says what went wrong and what to do; no stack trace is needed."""
