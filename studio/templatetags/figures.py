"""Table bodies of the figure pages, rendered in one call: a year of days is 365 rows, which the template language
renders ten times slower cell by cell (bench/studio.py)."""

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def figure_rows(rows: list[list]) -> SafeString:
    """<tr><th scope="row">first</th><td>...</td></tr> for each row, every cell escaped."""
    out = []
    for row in rows:
        cells = [f'<th scope="row">{escape(row[0])}</th>'] + [f"<td>{escape(cell)}</td>" for cell in row[1:]]
        out.append("<tr>" + "".join(cells) + "</tr>")
    return mark_safe("\n".join(out))  # noqa: S308  (every cell escaped above)
