"""Logging filters (settings LOGGING)."""

import logging


class ClientErrorsWithoutTraceback(logging.Filter):
    """A 4xx answer (403 outside one's role, 404 outside one's scope, 400) is the portal working as
    designed: log its one line, without the traceback Django attaches. 5xx keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and 400 <= status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
