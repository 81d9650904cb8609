"""What a pending revision changes compared with the published listing (for the vendor and the editors)."""

from dataclasses import dataclass

from solutions.models import Category, Solution, SolutionRevision, Standard


@dataclass(frozen=True)
class Change:
    name: str
    label: str
    old: str
    new: str


def _display(solution: Solution, name: str, value, names_by_pk: dict) -> str:
    field = Solution._meta.get_field(name)
    if field.many_to_many:
        return ", ".join(sorted(names_by_pk[name].get(pk, str(pk)) for pk in value or []))
    if name == "logo":
        return value or ""
    choices = dict(field.choices or ())
    base_field = getattr(field, "base_field", None)
    if base_field is not None and base_field.choices:
        labels = dict(base_field.choices)
        return ", ".join(str(labels.get(item, item)) for item in value or [])
    if isinstance(value, bool):
        return "✓" if value else "–"
    if value in (None, ""):
        return ""
    return str(choices.get(value, value))


def changes(revision: SolutionRevision) -> list[Change]:
    """The fields whose value in the revision differs from the published listing, in form order."""
    solution = revision.solution
    current = {
        "categories": sorted(solution.categories.values_list("pk", flat=True)),
        "standards": sorted(solution.standards.values_list("pk", flat=True)),
    }
    m2m_pks = set(revision.data.get("categories") or []) | set(current["categories"])
    standard_pks = set(revision.data.get("standards") or []) | set(current["standards"])
    names_by_pk = {
        "categories": {c.pk: c.name for c in Category.objects.filter(pk__in=m2m_pks)},
        "standards": {s.pk: s.name for s in Standard.objects.filter(pk__in=standard_pks)},
    }
    result = []
    for name, new_value in revision.data.items():
        old_value = current[name] if name in current else getattr(solution, name)
        if name == "logo":
            old_value = old_value.name if old_value else ""
        if old_value == new_value or (old_value in (None, "") and new_value in (None, "")):
            continue
        result.append(
            Change(
                name=name,
                label=str(Solution._meta.get_field(name).verbose_name),
                old=_display(solution, name, old_value, names_by_pk),
                new=_display(solution, name, new_value, names_by_pk),
            )
        )
    return result
