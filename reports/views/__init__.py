"""Report pages and exports. Views stay thin: parse the parameters, check scope, call progress/selectors.

Split by domain: the progress pages, the criteria matrix, the charts (trends, map), the downloads, the
national view; `common` holds what they share (the programme, the year and figures, the district in scope)."""

from .charts import map_view, trends  # noqa: F401
from .criteria import criteria  # noqa: F401
from .downloads import progress_docx, progress_json, progress_xlsx, units_csv  # noqa: F401
from .national import national, national_json, national_xlsx  # noqa: F401
from .progress import current, district, progress, unit  # noqa: F401
