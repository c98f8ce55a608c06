"""Report documents: the Word (.docx) and Markdown renderings of a ``ReportContent``.

The Word file is rendered from a docxtpl template shipped in ``templates/``; the template
is built by :mod:`jixiao.documents.template_builder` and may be restyled in Word.
"""
