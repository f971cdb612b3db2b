"""Fixtures for the news tests."""

import pytest
from django.contrib.auth.hashers import make_password

from accounts.models import Membership, Role, Structure, User
from tests.factories import DistrictFactory, _uai


@pytest.fixture
def make_schools(db):
    """Create ``n`` schools, each with an active director (and optionally teachers), in bulk."""

    def make(n: int, *, teachers_per_school: int = 0, start: int = 5000) -> list[Structure]:
        district = DistrictFactory()
        schools = Structure.objects.bulk_create(
            [
                Structure(
                    district=district,
                    kind=Structure.Kind.SCHOOL,
                    code=_uai(start + i).lower(),
                    uai=_uai(start + i),
                    name=f"École primaire n°{start + i}",
                    school_type=Structure.SchoolType.PRIMAIRE,
                    commune="Lencloître",
                )
                for i in range(n)
            ]
        )
        password = make_password(None)
        people, roles = [], []
        for i, school in enumerate(schools):
            people.append(
                User(
                    email=f"direction{start + i}@ac-poitiers.fr",
                    first_name="Dir",
                    last_name=f"N{i}",
                    password=password,
                    is_active=True,
                )
            )
            roles.append((school, Role.DIRECTOR))
            for t in range(teachers_per_school):
                people.append(
                    User(
                        email=f"ens{start + i}-{t}@ac-poitiers.fr",
                        first_name="Ens",
                        last_name=f"N{i}-{t}",
                        password=password,
                        is_active=True,
                    )
                )
                roles.append((school, Role.TEACHER))
        people = User.objects.bulk_create(people)
        Membership.objects.bulk_create(
            [
                Membership(user=user, structure=school, role=role)
                for user, (school, role) in zip(people, roles, strict=True)
            ]
        )
        return schools

    return make
