"""factory_boy factories for every app, in one place."""

import datetime
import time
from binascii import unhexlify

import factory
from factory.django import DjangoModelFactory

from accounts.models import Role, User
from assessments import facts
from assessments.models import CriteriaSet, Criterion, Level, Programme, Recognition, Registration, Target
from communes.models import District, DistrictKind, Province, Unit, UnitKind

PASSWORD = "Mật-khẩu-thử-2026"
# RFC 6238's test secret ("12345678901234567890"), hex as django-otp stores it: the authenticator of test users.
TOTP_KEY = "3132333435363738393031323334353637383930"


class ProvinceFactory(DjangoModelFactory):
    class Meta:
        model = Province
        django_get_or_create = ("code",)

    code = 17
    name = "Tỉnh Hoà Bình"


class DistrictFactory(DjangoModelFactory):
    class Meta:
        model = District

    province = factory.SubFactory(ProvinceFactory)
    code = factory.Sequence(lambda n: 900 + n)
    name = factory.Sequence(lambda n: f"Huyện Thử {n}")
    kind = DistrictKind.HUYEN


class UnitFactory(DjangoModelFactory):
    class Meta:
        model = Unit

    district = factory.SubFactory(DistrictFactory)
    province = factory.LazyAttribute(lambda o: o.district.province if o.district else ProvinceFactory())
    code = factory.Sequence(lambda n: 90000 + n)
    name = factory.Sequence(lambda n: f"Xã Thử {n}")
    kind = UnitKind.XA


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.PROVINCE_VIEWER
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def finish(self, create, extracted, **kwargs):
        self.is_staff = self.is_superuser = self.role == Role.ADMIN
        if create:
            self.save()


def officer(unit, **kw):
    return UserFactory(role=Role.COMMUNE_OFFICER, unit=unit, **kw)


def reviewer(district, **kw):
    return UserFactory(role=Role.DISTRICT_REVIEWER, district=district, **kw)


def province_viewer(province=None, **kw):
    return UserFactory(role=Role.PROVINCE_VIEWER, province=province or ProvinceFactory(), **kw)


def province_reviewer(province, **kw):
    """A reviewer of the units without a district (created after 1/7/2025) of `province`."""
    return UserFactory(role=Role.DISTRICT_REVIEWER, province=province, **kw)


def administrator(**kw):
    return UserFactory(role=Role.ADMIN, **kw)


class ProgrammeFactory(DjangoModelFactory):
    class Meta:
        model = Programme
        django_get_or_create = ("code",)

    code = "nq12_commune"
    name = "Xã, thị trấn điển hình về phong trào toàn dân bảo vệ an ninh Tổ quốc"
    unit_kinds = factory.LazyFunction(lambda: [UnitKind.XA, UnitKind.THI_TRAN])
    resolution_number = "12/NQ-TU"
    resolution_date = datetime.date(2022, 6, 27)
    territory_province = factory.SubFactory(ProvinceFactory)
    is_default = factory.LazyAttribute(lambda o: o.code == "nq12_commune")


class CriteriaSetFactory(DjangoModelFactory):
    """A set with `criteria` (default 16) numbered criteria."""

    class Meta:
        model = CriteriaSet
        skip_postgeneration_save = True

    programme = factory.SubFactory(ProgrammeFactory)
    name = "Bộ tiêu chí thử"
    version = factory.Sequence(lambda n: n + 1)
    valid_from_year = 2021
    valid_to_year = None
    # One published set per programme and start year: a second one is a draft (a copy) unless told.
    published = factory.LazyAttribute(lambda o: not CriteriaSet.objects.filter(
        programme=o.programme, valid_from_year=o.valid_from_year, published=True).exists())

    @factory.post_generation
    def criteria(self, create, extracted, **kwargs):
        if not create:
            return
        count = 16 if extracted is None else extracted
        Criterion.objects.bulk_create(
            Criterion(criteria_set=self, number=n, title=f"Tiêu chí {n}", wording=f"Nội dung tiêu chí {n}",
                      evidence_guidance=f"Minh chứng cho tiêu chí {n}")
            for n in range(1, count + 1)
        )


class RegistrationFactory(DjangoModelFactory):
    """Writes the row directly and tells the stored figures, as `services.registration_create` does."""

    class Meta:
        model = Registration

    programme = factory.SubFactory(ProgrammeFactory)
    unit = factory.SubFactory(UnitFactory)
    year = 2022

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        registration = super()._create(model_class, *args, **kwargs)
        facts.registration_changed(registration)
        return registration


class RecognitionFactory(DjangoModelFactory):
    """Writes the row directly (no rule checks): for report fixtures only. Tells the stored figures, as
    `services.recognition_create` does."""

    class Meta:
        model = Recognition

    programme = factory.SubFactory(ProgrammeFactory)
    unit = factory.SubFactory(UnitFactory)
    level = Level.COMMUNE
    decision_number = factory.Sequence(lambda n: f"{n}/QĐ-UBND")
    decision_date = factory.Faker("date_between_dates", date_start=datetime.date(2022, 1, 1),
                                  date_end=datetime.date(2025, 12, 31))
    issued_by = "UBND huyện"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        recognition = super()._create(model_class, *args, **kwargs)
        facts.recognition_changed(recognition)
        return recognition


class TargetFactory(DjangoModelFactory):
    class Meta:
        model = Target

    programme = factory.SubFactory(ProgrammeFactory)
    resolution = "12/NQ-TU"
    key = factory.Sequence(lambda n: f"target-{n}")
    deadline = datetime.date(2025, 12, 31)
    kind = "recognized"
    level = Level.COMMUNE
    number = 1
    text = "Mục tiêu thử"


def enrol_two_factor(user, key: str = TOTP_KEY):
    """Give `user` a confirmed authenticator (and no recovery codes); idempotent."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _created = TOTPDevice.objects.get_or_create(user=user, confirmed=True, defaults={"key": key,
                                                                                           "name": "test"})
    return device


def totp_code(key: str = TOTP_KEY, *, at: float | None = None) -> str:
    """The code an authenticator app with `key` shows at `at` (default now)."""
    from django_otp.oath import TOTP

    totp = TOTP(unhexlify(key))
    totp.time = time.time() if at is None else at
    return f"{totp.token():06d}"
