"""Scope across the 1/7/2025 reform (DESIGN §4, §7), as a matrix of user × URL → status, with the
effect of every POST on the data.

Hòa Bình (17) ends on 30/6/2025 and its units A, B (district D) go whole into S, C into T, units of
Phú Thọ (25) with no district. Another province (1) has a unit X of its own. Before the reform A was
verified for 2024, B left a 2024 draft (open for editing by its status: only the scope rule keeps S's
officer out of it) and C's 2024 self-assessment was returned.
"""

import datetime

import pytest
from django.urls import reverse

from accounts import permissions
from accounts.models import Role
from assessments import services
from assessments.models import Assessment, Level, Recognition, Status
from communes.models import UnitSuccession
from tests import factories
from tests.conftest import record

pytestmark = pytest.mark.django_db
D = datetime.date
END, START = D(2025, 6, 30), D(2025, 7, 1)


class Reform:
    def __init__(self):
        self.criteria_set = factories.CriteriaSetFactory()  # programme nq12_commune, territory province 17
        self.p17 = self.criteria_set.programme.territory_province
        self.p25 = factories.ProvinceFactory(code=25, name="Tỉnh Phú Thọ")
        self.p17.valid_to, self.p17.successor = END, self.p25
        self.p17.save()
        self.p1 = factories.ProvinceFactory(code=1, name="Thành phố Hà Nội")
        self.d = factories.DistrictFactory(province=self.p17, valid_to=END)
        self.a = factories.UnitFactory(district=self.d, name="Xã A")
        self.b = factories.UnitFactory(district=self.d, name="Xã B")
        self.c = factories.UnitFactory(district=self.d, name="Xã C")
        self.s = factories.UnitFactory(district=None, province=self.p25, name="Xã S", valid_from=START)
        self.t = factories.UnitFactory(district=None, province=self.p25, name="Xã T", valid_from=START)
        self.x = factories.UnitFactory(district=factories.DistrictFactory(province=self.p1), name="Xã X")
        self.admin = factories.administrator()
        # Before the reform: the old units' own work.
        self.a_2024 = record(self.a, 2024, 16)
        self.c_2024 = record(self.c, 2024, 12, stage="self")
        services.assessment_return(assessment=self.c_2024, actor=self.admin, reason="Bổ sung")
        self.c_2024.refresh_from_db()
        self.b_2024 = services.assessment_get_or_create(unit=self.b, year=2024, actor=factories.officer(self.b))
        for old in (self.a, self.b, self.c):
            old.valid_to = END
            old.save()
        for old, new in ((self.a, self.s), (self.b, self.s), (self.c, self.t)):
            UnitSuccession.objects.create(predecessor=old, successor=new, effective_on=START)
        self.a_rec = factories.RecognitionFactory(unit=self.a, level=Level.COMMUNE, decision_date=D(2024, 12, 20))
        # After it: the successors' work.
        self.s_2025 = record(self.s, 2025, 16)
        self.officer_s = factories.officer(self.s)
        self.s_2026 = services.assessment_get_or_create(unit=self.s, year=2026, actor=self.officer_s)
        self.t_2026 = record(self.t, 2026, 14, stage="self")
        self.users = {
            "officer_s": self.officer_s,
            "reviewer_d": factories.reviewer(self.d),
            "reviewer_25": factories.province_reviewer(self.p25),
            "viewer_25": factories.province_viewer(self.p25),
            "viewer_17": factories.province_viewer(self.p17),
            "viewer_1": factories.province_viewer(self.p1),
            "admin": self.admin,
        }


@pytest.fixture
def world():
    return Reform()


USERS = ["officer_s", "reviewer_d", "reviewer_25", "viewer_25", "viewer_17", "viewer_1", "admin"]


def detail(w, name):
    return reverse("assessments:assessment_detail", args=[getattr(w, name).pk])


# name, path(world), expected status per user (in USERS order)
READS = [
    ("old unit's verified 2024", lambda w: detail(w, "a_2024"), (200, 200, 404, 200, 200, 404, 200)),
    ("successor's 2026 draft", lambda w: detail(w, "s_2026"), (200, 404, 200, 200, 404, 404, 200)),
    ("unit page of the old unit", lambda w: reverse("reports:unit", args=[w.a.pk]), (200, 200, 404, 200, 200, 404, 200)),
    ("unit page of the successor", lambda w: reverse("reports:unit", args=[w.s.pk]), (200, 404, 200, 200, 404, 404, 200)),
    ("unit page elsewhere", lambda w: reverse("reports:unit", args=[w.x.pk]), (404, 404, 404, 404, 404, 200, 200)),
    ("progress of 12/NQ-TU", lambda w: reverse("reports:progress"), (403, 302, 302, 200, 200, 404, 200)),
    ("progress JSON", lambda w: reverse("reports:progress_json") + "?year=2026", (403, 403, 403, 200, 200, 404, 200)),
]


@pytest.mark.parametrize("name,path,expected", READS, ids=[r[0] for r in READS])
def test_reads_across_the_reform(client, world, name, path, expected):
    for user, status in zip(USERS, expected, strict=True):
        client.force_login(world.users[user])
        assert client.get(path(world)).status_code == status, f"{name} as {user}"


def test_a_phu_tho_viewer_sees_hoa_binh_history_and_another_province_none(client, world):
    client.force_login(world.users["viewer_25"])
    page = client.get(reverse("reports:unit", args=[world.s.pk])).content.decode()
    assert "Xã A" in page and "Xã B" in page  # where S came from, with links
    assert reverse("reports:unit", args=[world.a.pk]) in page
    report = client.get(reverse("reports:progress_json") + "?year=2026").json()
    assert report["units_total"] == 3  # the frame: A, B and C, held by S and T
    client.force_login(world.users["viewer_1"])
    assert client.get(reverse("reports:progress_json") + "?year=2026").status_code == 404
    assert client.get(detail(world, "a_2024")).status_code == 404


def _answers(assessment):
    """What a predecessor's assessment holds: its version, status and every answer."""
    assessment.refresh_from_db()
    return assessment.version, assessment.status, list(
        assessment.results.order_by("criterion__number").values_list("self_result", "note"))


def test_the_successor_officer_reads_but_never_changes_the_old_unit(client, world):
    """The scope rule alone: B's 2024 draft is editable by its status and S's officer can read it (S's
    history), yet nothing they post changes it. A's verified one is locked anyway (status, not scope)."""
    client.force_login(world.officer_s)
    home = client.get(reverse("assessments:officer_home")).content.decode()
    assert "Xã A" in home and "trước sắp xếp" in home  # the 2024 history, marked as the old unit's
    # C's returned 2024 assessment is T's history, not S's: not even visible.
    assert client.post(detail(world, "c_2024"), {"version": world.c_2024.version, "action": "save"}).status_code == 404
    b_2024 = world.b_2024
    assert b_2024.status == Status.DRAFT
    assert client.get(detail(world, "b_2024")).status_code == 200  # S's history: visible
    first = b_2024.results.order_by("criterion__number").first()
    before = _answers(b_2024)
    post = {"version": b_2024.version, "action": "save", f"c{first.criterion_id}_result": "met",
            f"c{first.criterion_id}_note": "Sửa hộ đơn vị cũ"}
    response = client.post(detail(world, "b_2024"), post)
    assert response.status_code == 400
    assert "không có quyền" in response.content.decode()
    autosave = client.post(reverse("assessments:criterion_save", args=[b_2024.pk]), {
        "version": b_2024.version, "criterion": first.criterion_id, "self_result": "met", "note": "x"})
    assert autosave.status_code == 400
    assert _answers(b_2024) == before
    # A's is visible to S's officer but read-only: a save changes nothing.
    a_before = _answers(world.a_2024)
    response = client.post(detail(world, "a_2024"), {"version": a_before[0], "action": "save"})
    assert response.status_code in (302, 400)
    assert _answers(world.a_2024) == a_before
    # Their own 2026 draft: saved.
    s_before = world.s_2026.version
    assert client.post(detail(world, "s_2026"), {"version": s_before, "action": "save"}).status_code == 302
    assert Assessment.objects.get(pk=world.s_2026.pk).version == s_before + 1


def test_the_services_refuse_a_write_into_a_predecessor_draft(world):
    """The services' own check (not the page's): S's officer may read B's 2024 draft but not write it."""
    b_2024 = world.b_2024
    assert permissions.can_see_unit(world.officer_s, world.b)
    assert not permissions.can_act_on_unit(world.officer_s, world.b)
    assert permissions.can_act_on_unit(world.officer_s, world.s)
    criterion_id = b_2024.results.first().criterion_id
    before = _answers(b_2024)
    writes = [
        lambda: services.assessment_save_self(assessment=b_2024, actor=world.officer_s, version=b_2024.version,
                                              values={criterion_id: {"self_result": "met", "note": "x"}}),
        lambda: services.assessment_save_criterion(assessment=b_2024, actor=world.officer_s, version=b_2024.version,
                                                   criterion_id=criterion_id, self_result="met", note="x"),
        lambda: services.assessment_submit(assessment=b_2024, actor=world.officer_s, version=b_2024.version),
    ]
    for write in writes:
        with pytest.raises(services.DomainError, match="không có quyền"):
            write()
    assert _answers(b_2024) == before
    assert b_2024.transitions.count() == 1  # created as a draft, nothing since


def test_units_without_a_district_are_reviewed_at_the_province(client, world):
    url = reverse("assessments:assessment_review", args=[world.t_2026.pk])
    data = {"version": world.t_2026.version, "action": "verify"}
    for user in ("reviewer_d", "viewer_25"):
        client.force_login(world.users[user])
        assert client.post(url, data).status_code in (403, 404)
        assert Assessment.objects.get(pk=world.t_2026.pk).status == Status.SUBMITTED
    client.force_login(world.users["reviewer_25"])
    assert client.post(url, data).status_code == 302
    assert Assessment.objects.get(pk=world.t_2026.pk).status == Status.VERIFIED
    inbox = client.get(reverse("assessments:reviewer_inbox") + "?year=2026").content.decode()
    assert "Xã S" in inbox and "Xã A" not in inbox


def test_no_assessment_for_a_unit_not_in_force_at_the_year_end(world):
    officer_a = factories.officer(world.a)
    with pytest.raises(services.DomainError, match="không có hiệu lực"):
        services.assessment_get_or_create(unit=world.a, year=2025, actor=officer_a)
    with pytest.raises(services.DomainError, match="31/12/2026"):
        record(world.a, 2026, 16)
    assert not Assessment.objects.filter(unit=world.a, year__gte=2025).exists()


def test_district_level_after_the_districts_ended_is_refused_unless_history(client, world):
    services.recognition_create(unit=world.s, level=Level.COMMUNE, decision_number="1/QĐ",
                                decision_date=D(2026, 1, 10), issued_by="UBND tỉnh", actor=world.admin)
    with pytest.raises(services.RecognitionRuleError, match="không thuộc huyện"):
        services.recognition_create(unit=world.s, level=Level.DISTRICT, decision_number="2/QĐ",
                                    decision_date=D(2026, 2, 1), issued_by="UBND", actor=world.admin)
    flagged = services.recognition_create(unit=world.s, level=Level.DISTRICT, decision_number="2/QĐ",
                                          decision_date=D(2026, 2, 1), issued_by="UBND", actor=world.admin,
                                          historical=True)
    assert flagged.rule_warning
    # Without a district the chain is commune → province: the provincial viewer records it.
    client.force_login(world.users["viewer_25"])
    response = client.post(reverse("assessments:recognition_create"), {
        "unit": world.s.pk, "level": Level.PROVINCE, "decision_number": "3/QĐ", "decision_date": "2026-03-01",
        "issued_by": "UBND tỉnh Phú Thọ"})
    assert response.status_code == 302
    assert Recognition.objects.filter(unit=world.s, level=Level.PROVINCE, rule_warning="").exists()
    client.force_login(world.users["viewer_1"])
    response = client.post(reverse("assessments:recognition_create"), {
        "unit": world.s.pk, "level": Level.PROVINCE, "decision_number": "4/QĐ", "decision_date": "2026-03-01",
        "issued_by": "UBND"})
    assert response.status_code == 400
    assert not Recognition.objects.filter(decision_number="4/QĐ").exists()


def test_province_scoped_reviewer_has_no_district_and_a_role_check():
    p = factories.ProvinceFactory(code=25)
    reviewer = factories.province_reviewer(p)
    assert reviewer.role == Role.DISTRICT_REVIEWER and reviewer.district is None
    assert reviewer.scope_label == p.name
