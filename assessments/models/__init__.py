"""Programmes, criteria sets, yearly assessments, pilot registrations, recognitions and targets.

Models are thin: rules that span rows live in services, reads in selectors. One module per area;
everything is re-exported here (migrations name `assessments.models.<function>`).
"""

from .assessments import *  # noqa: F403
from .criteria import *  # noqa: F403
from .decisions import *  # noqa: F403
from .facts import *  # noqa: F403
from .programmes import *  # noqa: F403
from .targets import *  # noqa: F403
