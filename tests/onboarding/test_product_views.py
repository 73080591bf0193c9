"""Products: list, detail, create, edit."""
from onboarding.models import Product


def test_anonymous_is_sent_to_login(client, product):
    for url in ("/products/", f"/products/{product.pk}/", "/products/new/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_list_and_detail_show_links(pm_client, product, plan):
    body = pm_client.get("/products/").content.decode()
    assert "手游安全 MTP" in body and "https://cloud.tencent.com/product/mtp" in body
    body = pm_client.get(f"/products/{product.pk}/").content.decode()
    assert plan.name in body and 'rel="noopener noreferrer"' in body


def test_detail_hides_plans_of_other_teams(client, other_pm, product, plan):
    client.force_login(other_pm)
    assert plan.name not in client.get(f"/products/{product.pk}/").content.decode()


def test_create_product(pm_client, db):
    response = pm_client.post("/products/new/", {
        "name": "数据安全治理中心 DSGC", "vendor_kind": "internal", "vendor_name": "腾讯云", "category": "安全",
        "official_url": "https://cloud.tencent.com/product/dsgc", "api_docs_url": "", "console_url": "",
        "description": ""})
    product = Product.objects.get(name="数据安全治理中心 DSGC")
    assert response.status_code == 302 and response["Location"] == f"/products/{product.pk}/"


def test_bad_url_is_refused_on_the_field(pm_client, product):
    response = pm_client.post(f"/products/{product.pk}/edit/", {
        "name": "MTP", "vendor_kind": "external", "official_url": "not a url", "api_docs_url": "javascript:alert(1)"})
    assert response.status_code == 422
    assert "Enter a valid URL." in response.content.decode()
    product.refresh_from_db()
    assert product.name == "手游安全 MTP"


def test_manager_cannot_create(client, manager):
    client.force_login(manager)
    assert client.get("/products/new/").status_code == 403
