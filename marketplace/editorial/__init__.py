"""The editors' office: everything editors do in the admin, in one package.

- `services/`  one moderation workflow for every listing model with an editorial status (solutions and
  pilot projects, each described by a `Workflow`), and the editors' other decisions (organisations,
  references, revisions, documents). Admin actions, the review page and tests call these functions.
- `admin/`     the ModelAdmins of the content models, the moderation actions (written once), the review
  page and the review queue page. Loaded by marketplace/admin.py, the project's admin module.
- `queue.py`   the review queue: what waits for a decision, oldest first; other packages add sections.
- `history.py` the timeline of an object and the decision context written into its history rows.
- `linkcheck/` checks of the external links of published entries (+ `models.LinkCheck`).

The domain apps (municipalities, solutions, pilots) never import this package.
"""
