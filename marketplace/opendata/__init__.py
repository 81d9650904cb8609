"""Open data: every catalog as CSV and JSON, a DCAT-AP.de catalogue, Atom feeds, the sitemap and robots.txt.

docs/open-data.md lists the datasets, their columns and the licence. A feature package: it reads the domain
apps (their FilterSets and published rows) and is imported by nothing but the project's URLs.
"""
