"""Log filters: a routine 403 or 404 is one line in the server log, not a traceback."""

import logging


class QuietClientErrors(logging.Filter):
    """Django logs a refused or missing page with the exception attached, which prints a whole
    traceback for an everyday event. Keep the line ("Not Found: /clients/7/"), drop the trace."""

    QUIET = {401, 403, 404, 405}

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) in self.QUIET:
            record.exc_info = None
            record.exc_text = None
        return True
