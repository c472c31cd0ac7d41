"""The document core: reading and writing rectification reports and ledgers as plain data.

Nothing here imports Django. The public entry points are :func:`zhenggai.core.parse.parse_document`
and :func:`zhenggai.core.parse.parse_path`, which return a ``zhenggai.ledger/1`` dict, and
:func:`zhenggai.core.writers.xlsx_ledger.write_ledger_xlsx`, which writes one back as a workbook.
"""

from zhenggai.core.errors import DocumentError
from zhenggai.core.parse import parse_document, parse_path

__all__ = ["DocumentError", "parse_document", "parse_path"]
