"""Demo interface documents (written for the demo, not any vendor's real API) and the platform's
toB requirement list, loaded by ``manage.py load_demo``."""
from pathlib import Path

HERE = Path(__file__).parent

#: product name → (document, platform owner key, partner owner key) — keys of schedule.demo_data.STAKEHOLDERS
DOCUMENTS = {
    "手游安全 MTP": ("mtp_openapi.yaml", "liqiang", "machao"),
    "数据安全治理中心 DSGC": ("dsgc_openapi.json", "wutao", "xubin"),
}

#: What every toB PaaS access must offer (category, name, method, path, direction, severity, auth, errors, description)
TOB_REQUIREMENTS = [
    ("lifecycle", "实例创建回调 Instance create", "POST", "/api/v1/instances", "partner", "blocker", True, True,
     "平台在用户下单后调用，伙伴开通实例并返回 instanceId 与控制台地址。"),
    ("lifecycle", "实例续费回调 Instance renew", "POST", "/api/v1/instances/{instanceId}/renew", "partner", "blocker",
     True, True, "续费成功后延长实例有效期。"),
    ("lifecycle", "实例变配回调 Instance modify", "POST", "/api/v1/instances/{instanceId}/modify", "partner", "major",
     True, True, "升降配：规格变化后伙伴调整配额。"),
    ("lifecycle", "实例到期回调 Instance expire", "POST", "/api/v1/instances/{instanceId}/expire", "partner",
     "blocker", True, True, "到期未续费：停服但保留数据（7 天冷静期）。"),
    ("lifecycle", "实例销毁回调 Instance destroy", "POST", "/api/v1/instances/{instanceId}/destroy", "partner",
     "blocker", True, True, "冷静期结束：释放资源并删除客户数据，返回销毁证明。"),
    ("sso", "免登 SSO", "GET", "/sso/login", "partner", "major", False, True,
     "平台签发一次性 ticket，伙伴校验后登录，无需二次密码。"),
    ("metering", "用量上报 Metering report", "POST", "/api/v1/metering/report", "platform", "blocker", True, True,
     "按小时上报用量；平台按量计费，伙伴调用平台接口。"),
    ("console", "控制台嵌入 Console embed", "GET", "/console/embed", "partner", "minor", True, True,
     "控制台页面可在平台 iframe 中打开（CSP frame-ancestors 放行平台域名）。"),
]


def document_bytes(file_name):
    return (HERE / file_name).read_bytes()


def load(workspace, products, people):
    """Import the demo documents and add the toB requirements once; returns {label: count} created."""
    # Imported when the demo loads: interfaces/apps.py imports this module at app loading, where
    # the services (and the apps they import) would otherwise be pulled in on every start.
    from interfaces import services
    from interfaces.demo_matrix import demo_joint_tests
    from interfaces.models import Interface, InterfaceRequirement, InterfaceSpec

    created = {}
    for position, (category, name, method, path, direction, severity, auth, errors, description) in enumerate(
            TOB_REQUIREMENTS):
        if InterfaceRequirement.objects.filter(workspace=workspace, scenario_kind="toB", method=method,
                                               path=path).exists():
            continue
        requirement = InterfaceRequirement(
            workspace=workspace, scenario_kind="toB", category=category, name=name, method=method, path=path,
            direction=direction, severity=severity, requires_auth=auth, requires_error_responses=errors,
            description=description, position=position)
        requirement.full_clean()
        requirement.save()
        created["platform interface requirements"] = created.get("platform interface requirements", 0) + 1
    for product_name, (file_name, platform_key, partner_key) in DOCUMENTS.items():
        product = products.get(product_name)
        if product is None or InterfaceSpec.objects.filter(product=product).exists():
            continue
        spec = services.spec_import(product=product, data=document_bytes(file_name), file_name=file_name)
        change = services.spec_apply(spec=spec)
        Interface.objects.filter(product=product, direction="partner").update(
            platform_owner=people.get(platform_key), partner_owner=people.get(partner_key))
        created["interfaces"] = created.get("interfaces", 0) + len(change.added)
        created["interface documents"] = created.get("interface documents", 0) + 1
        # Where 联调 stands in the middle of an onboarding; rolled up into the plans' 联调 tasks.
        created["joint tests"] = created.get("joint tests", 0) + demo_joint_tests(product)
    return created
