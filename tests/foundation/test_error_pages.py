from django.urls import reverse


def test_forbidden_page_is_a_vietnamese_portal_page(client, officer_user):
    client.force_login(officer_user)
    response = client.get(reverse("data_exchange:import"))
    assert response.status_code == 403
    page = response.content.decode()
    assert "Bạn không có quyền thực hiện thao tác này" in page
    assert "Đăng xuất" in page  # the normal layout, with navigation


def test_not_found_page_explains_scope(client, officer_user):
    client.force_login(officer_user)
    response = client.get("/assessments/999999/")
    assert response.status_code == 404
    assert "ngoài phạm vi tài khoản" in response.content.decode()


def test_officer_navigation_links_to_own_unit_history(client, officer_user):
    client.force_login(officer_user)
    page = client.get(reverse("accounts:password_change")).content.decode()
    assert reverse("reports:unit", args=[officer_user.unit.pk]) in page
