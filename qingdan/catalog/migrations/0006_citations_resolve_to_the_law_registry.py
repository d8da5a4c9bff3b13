"""A citation keeps the title as cited and resolves to the law registry (``laws.Law``), which
replaces the title-only ``catalog.Law``. Existing citations keep their titles and articles; they
resolve when the shipped registry is loaded after migrating (``qingdan.laws.shipped``)."""

import django.db.models.deletion
from django.db import migrations, models

from qingdan.laws.names import article_number


def keep_titles(apps, schema_editor):
    LegalCitation = apps.get_model("catalog", "LegalCitation")
    changed = []
    for citation in LegalCitation.objects.select_related("law").iterator(chunk_size=2000):
        citation.title = citation.law.title
        citation.article_number = article_number(citation.article)
        changed.append(citation)
        if len(changed) >= 2000:
            LegalCitation.objects.bulk_update(changed, ["title", "article_number"])
            changed = []
    LegalCitation.objects.bulk_update(changed, ["title", "article_number"])


def restore_laws(apps, schema_editor):
    Law = apps.get_model("catalog", "Law")
    LegalCitation = apps.get_model("catalog", "LegalCitation")
    titles = set(LegalCitation.objects.values_list("title", flat=True))
    Law.objects.bulk_create([Law(title=t) for t in titles], ignore_conflicts=True)
    for law in Law.objects.all():
        LegalCitation.objects.filter(title=law.title).update(law=law)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0005_stated_department"),
        ("laws", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="legalcitation",
            name="title",
            field=models.CharField(db_index=True, default="", max_length=300, verbose_name="所引名称"),
        ),
        migrations.AddField(
            model_name="legalcitation",
            name="article_number",
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name="条"),
        ),
        migrations.AlterField(
            model_name="legalcitation",
            name="law",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.PROTECT, related_name="citations", to="catalog.law"
            ),
        ),
        migrations.RunPython(keep_titles, restore_laws),
        migrations.RemoveField(model_name="legalcitation", name="law"),
        migrations.DeleteModel(name="Law"),
        migrations.AddField(
            model_name="legalcitation",
            name="law",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="citations",
                to="laws.law",
                verbose_name="法律",
            ),
        ),
        migrations.AlterField(
            model_name="legalcitation",
            name="title",
            field=models.CharField(db_index=True, max_length=300, verbose_name="所引名称"),
        ),
    ]
