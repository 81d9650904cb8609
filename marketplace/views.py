from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse(status=501)


home = imprint = privacy = accessibility = contact = healthz = page_not_found = server_error = _todo
