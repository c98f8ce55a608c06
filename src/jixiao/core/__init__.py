"""The pure core: every figure jixiao shows is decided here.

Nothing in this package imports Django, a database driver, or a document library.
"""
