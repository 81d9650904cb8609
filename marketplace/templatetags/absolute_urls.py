"""``{% absolute_url 'view-name' arg… %}``: like ``{% url %}``, but the whole address under settings.SITE_URL.

For e-mails, which are read outside the site: every link in a mail template is built this way (never from the
request's Host header), and tests/marketplace/test_mail_links.py checks each template. ``as name`` stores the
address instead of printing it.
"""

from django import template
from django.urls import reverse

from marketplace import mail

register = template.Library()


@register.simple_tag
def absolute_url(view_name, *args, **kwargs):
    return mail.absolute(reverse(view_name, args=args or None, kwargs=kwargs or None))
