from django import template

register = template.Library()


@register.filter
def bytes_human(value) -> str:
    """1536 -> '1.5 KB'; powers of 1000, as disks and CDN bills count."""
    value = float(value or 0)
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if value < 1000 or unit == "TB":
            return f"{value:,.0f} {unit}" if unit == "B" else f"{value:,.1f} {unit}"
        value /= 1000
    return ""


@register.filter
def minor(value) -> str:
    """Minor units as major with two decimals: 123456 -> '1,234.56'."""
    return f"{(value or 0) / 100:,.2f}"
