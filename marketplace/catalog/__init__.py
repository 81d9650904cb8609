"""The catalog library: faceted filtering, the facet index, search, pagination and the catalog view helper.

Library code: it imports no app of this project and no feature package, so every app may use it.

* ``facets``: ``FacetSpec`` (what a facet filters) and ``Facet``/``FacetOption``/``Chip`` (what a page shows).
* ``index``: the in-memory facet index that counts every option of every facet (``count_facets``).
* ``filtersets``: ``FacetedFilterSet``, the django-filter FilterSet with live, disjunctive facet counts.
* ``filters``: the ``q`` and ``sort`` filters and ``TextSearchFilterSet`` (full-text catalogs).
* ``search``: German full text (generated search vectors, ranking, headlines, suggestions).
* ``pagination``: ``paginate`` (the validated page parameter) and ``RowsInOrder``.
* ``version``: the content version PostgreSQL keeps, and ``cached_for_version``.
* ``views``: ``catalog_page``, the one helper behind every catalog list view.

Templates: ``templates/catalog/base.html`` (the page every catalog extends) and, in ``templates/includes/``,
``_facet_fieldset.html``, ``_facet_counts_oob.html``, ``_active_filters.html``, ``_pagination.html`` and
``_sort.html``; each documents its context at the top.

Nothing is imported here, so that models can import ``marketplace.catalog.search`` while apps load.
"""
