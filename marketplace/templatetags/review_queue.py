"""The review queue's counts on the admin index (templates/admin/index.html)."""

from django import template

from marketplace.editorial.queue import build_queue

register = template.Library()


@register.inclusion_tag("admin/includes/_review_queue_counts.html", takes_context=True)
def review_queue_counts(context):
    """One count query per queue section the user may see."""
    return {"sections": build_queue(context["request"], limit=0)}
