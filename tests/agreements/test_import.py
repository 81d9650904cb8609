"""The membership import: one ARS per line, unknown keys reported, --replace removes the others."""

import pytest
from django.core.management import CommandError, call_command

from tests.agreements.factories import OrganisationFactory
from tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db


def test_import_adds_members_by_ars_and_reports_unknown_keys(tmp_path, capsys):
    augsburg = MunicipalityFactory(name="Augsburg", ags="09761000", ars="097610000000")
    erlangen = MunicipalityFactory(name="Erlangen", ags="09562000", ars="095620000000")
    old = MunicipalityFactory(name="Alt", ags="09999000", ars="099990000000")
    organisation = OrganisationFactory(slug="akdb", members=[augsburg, old])
    path = tmp_path / "members.csv"
    path.write_text(
        "ars;name\n097610000000;Augsburg\n\n# comment\n095620000000\n123456789012\n", encoding="utf-8"
    )

    call_command("import_agreement_members", "akdb", str(path))

    assert set(organisation.members.all()) == {augsburg, erlangen, old}
    out, err = capsys.readouterr()
    assert out.strip() == "1 added, 1 already members, 1 unknown."
    assert err.strip() == "Unknown or dissolved ARS: 123456789012"

    call_command("import_agreement_members", "akdb", str(path), "--replace")
    assert set(organisation.members.all()) == {augsburg, erlangen}


def test_import_refuses_unknown_organisation_and_missing_file(tmp_path):
    OrganisationFactory(slug="akdb")
    with pytest.raises(CommandError, match="No organisation"):
        call_command("import_agreement_members", "unbekannt", str(tmp_path / "x.csv"))
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_agreement_members", "akdb", str(tmp_path / "missing.csv"))
