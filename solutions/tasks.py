"""Old home of the mail tasks, now in marketplace/mail.py.

The database task queue (django-tasks-db) stores each task's dotted path, and the worker imports it when
it runs the row. Rows queued before the move name `solutions.tasks.send_email`/`send_emails`; these names
keep them running. Delete this module once no row in django_tasks_db_dbtaskresult names it.
"""

from marketplace.mail import send_email, send_emails

__all__ = ["send_email", "send_emails"]
