"""URL patterns of the vendor portal; appended to the `vendor` namespace in solutions/vendor_urls.py."""

urlpatterns = []
