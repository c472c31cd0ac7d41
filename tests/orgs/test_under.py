"""`orgs.models.under`: everything under an organisation, as a prefix of the materialised path (a
range of the index on SQLite), holds exactly what `startswith` holds."""

from __future__ import annotations

from zhenggai.orgs.models import Organisation, OrgKind, under
from zhenggai.orgs.services import organisation_create


def test_under_holds_exactly_the_subtree(db):
    office = organisation_create(name="县委巡察办", kind=OrgKind.INSPECTION_OFFICE)
    units = [organisation_create(name=f"单位{i}", kind=OrgKind.UNIT) for i in range(12)]
    for unit in units[:3]:
        organisation_create(name=f"{unit.name}办公室", kind=OrgKind.DEPARTMENT, parent=unit)
    organisation_create(name="第一巡察组", kind=OrgKind.INSPECTION_GROUP, parent=office)
    everyone = list(Organisation.objects.all())
    assert len(everyone) == 17
    for org in everyone:
        found = set(Organisation.objects.filter(under(org.path)).values_list("pk", flat=True))
        assert found == {o.pk for o in everyone if o.path.startswith(org.path)}
        assert found == set(
            Organisation.objects.filter(path__startswith=org.path).values_list("pk", flat=True)
        )
    assert set(Organisation.objects.filter(under(office.path, "path"))) == {
        o for o in everyone if o.path.startswith(office.path)
    }
