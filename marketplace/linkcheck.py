"""Old home of the link checks, now in marketplace/editorial/linkcheck/.

The database task queue (django-tasks-db) stores each task's dotted path, and the worker imports it when
it runs the row. Rows queued before the move name `marketplace.linkcheck.check_links_task`; this name keeps
them running. Delete this module once no row in django_tasks_db_dbtaskresult names it.
"""

from marketplace.editorial.linkcheck import check_links_task

__all__ = ["check_links_task"]
