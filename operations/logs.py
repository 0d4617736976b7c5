"""Operational events: one log line each, readable as text and as JSON (LOG_FORMAT=json).

    event("workflow.submit", assessment=12, actor=3)

writes `workflow.submit assessment=12 actor=3` to the logger `portal.workflow`, and the fields as keys of
the JSON object. Events are for operators (what happened, how many, how long); the audit trail of who
changed what stays in the history tables.
"""

from __future__ import annotations

import logging

# LogRecord's own attributes cannot be passed as `extra`.
RESERVED = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


def _text(value) -> str:
    text = str(value)
    return f'"{text}"' if (" " in text or not text) else text


def event(name: str, *, level: int = logging.INFO, exc_info=None, **fields) -> None:
    """Log the event `name` ("area.what") with its fields, on the logger `portal.<area>`."""
    logger = logging.getLogger("portal." + name.split(".", 1)[0])
    if not logger.isEnabledFor(level):
        return
    extra = {"event": name}
    for key, value in fields.items():
        extra[f"{key}_" if key in RESERVED else key] = value
    text = " ".join(f"{key}={_text(value)}" for key, value in fields.items())
    logger.log(level, "%s %s" if text else "%s%s", name, text, extra=extra, exc_info=exc_info)


TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
JSON_FIELDS = "{asctime}{levelname}{name}{message}{request_id}"


def json_formatter():
    """python-json-logger's formatter: one object per line with time, level, logger, message, request_id,
    the event's fields, and the traceback (`exc_info`) of an error."""
    from pythonjsonlogger.json import JsonFormatter

    return JsonFormatter(JSON_FIELDS, style="{", rename_fields={"asctime": "time", "levelname": "level",
                                                                  "name": "logger"},
                         json_ensure_ascii=False)
