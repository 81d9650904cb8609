"""Views of the vendor portal, split by resource."""
