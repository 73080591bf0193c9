"""Writing many rows at once, for imports and the scheduler.

Django's ``bulk_update`` builds one ``CASE WHEN id = … THEN …`` per field and row: for 5,000 tasks
it spends seconds of Python compiling expressions (docs/performance.md, "Upload bombs"). One
parameterised ``UPDATE … WHERE id = %s`` run with ``executemany`` does the same writes in the
database driver's loop. Like ``bulk_update``, it sends no signals: callers write history
(simple_history's ``bulk_history_create``) and bump revisions (a signalled save) themselves.
"""
from django.db import connections, router


def update_rows(model, objs, fields):
    """Store ``fields`` (names) of every object of ``objs`` (saved instances of ``model``)."""
    objs = list(objs)
    if not objs:
        return 0
    using = router.db_for_write(model)
    connection = connections[using]
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    sql = (f"UPDATE {quote(meta.db_table)} SET " + ", ".join(f"{quote(field.column)} = %s" for field in columns)
           + f" WHERE {quote(meta.pk.column)} = %s")
    params = [[field.get_db_prep_save(getattr(obj, field.attname), connection) for field in columns]
              + [meta.pk.get_db_prep_value(obj.pk, connection)] for obj in objs]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
    return len(objs)
