from django import template

register = template.Library()


@register.filter
def get_item_or_zero(mapping: dict[str, int], key: str) -> int:
    return mapping.get(key, 0)
