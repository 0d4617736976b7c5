"""`{% reportcache key %}…{% endreportcache %}`: a rendered report fragment kept under the key its view built
from the tokens of the stored figures it shows (criteria_portal.figures). The big tables of the report pages
cost their rendering far more than their figures; a write that changes a counted fact changes the key.

The view passes its figures lazily, so that a fragment served from the cache computes nothing. An empty key
renders without the cache; a cache that cannot be reached is skipped (criteria_portal.figures)."""

from django import template

from criteria_portal import figures

register = template.Library()


class ReportCacheNode(template.Node):
    def __init__(self, nodelist, key):
        self.nodelist = nodelist
        self.key = key

    def render(self, context):
        key = self.key.resolve(context)
        if not key:
            return self.nodelist.render(context)
        found = figures.get_many([key]).get(key)
        if found is not None:
            return found
        html = self.nodelist.render(context)
        figures.put(key, html)
        return html


@register.tag("reportcache")
def reportcache(parser, token):
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("{% reportcache key %} takes one argument, the fragment's key")
    nodelist = parser.parse(("endreportcache",))
    parser.delete_first_token()
    return ReportCacheNode(nodelist, parser.compile_filter(bits[1]))
