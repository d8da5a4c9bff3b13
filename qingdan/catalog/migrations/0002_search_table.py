"""The PostgreSQL search backend's table (qingdan/search/pg.py). On SQLite this does nothing:
there the index lives in tantivy."""

from django.db import migrations

CREATE = """
CREATE TABLE IF NOT EXISTS qingdan_search (
    id varchar(40) PRIMARY KEY,
    department_id bigint NOT NULL,
    jurisdiction varchar(100) NOT NULL,
    payload jsonb NOT NULL,
    vec tsvector NOT NULL
);
CREATE INDEX IF NOT EXISTS qingdan_search_vec ON qingdan_search USING gin (vec);
CREATE INDEX IF NOT EXISTS qingdan_search_department ON qingdan_search (department_id);
CREATE INDEX IF NOT EXISTS qingdan_search_jurisdiction ON qingdan_search (jurisdiction);
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TABLE IF EXISTS qingdan_search")


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
