"""The two checklists Paasport ships: standard PaaS access for toC and for toB products.

Plain data, so the data migration (0002_builtin_templates) and the tests read the same thing.
Durations and offsets are in working days. ``offset`` is the earliest start relative to the
plan start and matters only for tasks without predecessors. Links are
``(predecessor key, successor key, type, lag)``; a negative lag is a lead.

Changing this data does not change databases already migrated: add a new migration that calls
``0002_builtin_templates.sync_templates`` again.
"""

PHASE_INTRO = "官网介绍"
PHASE_DOCS = "接口文档"
PHASE_POC = "POC 验证"
PHASE_INTEGRATION = "SDK/控制台集成"
PHASE_TESTING = "联调测试"
PHASE_BILLING = "计费"
PHASE_COMPLIANCE = "安全合规审核"
PHASE_LAUNCH = "上线"
PHASE_OPERATIONS = "运营"

#: The phases every PaaS access checklist goes through, in order.
REQUIRED_PHASES = [
    PHASE_INTRO, PHASE_DOCS, PHASE_INTEGRATION, PHASE_TESTING,
    PHASE_BILLING, PHASE_COMPLIANCE, PHASE_LAUNCH, PHASE_OPERATIONS,
]

#: The watch-outs of joint debugging, shared by both templates (the brief's own example).
JOINT_DEBUG_WATCHOUTS = ["测试环境就绪", "测试账号已发放", "测试用例已评审", "缺陷已关闭", "双方签字确认"]


def _task(key, phase, title, duration, *, offset=0, shared=False, milestone=False, launch=False, description="",
          watchouts=()):
    return {
        "key": key,
        "phase": phase,
        "title": title,
        "description": description,
        "duration": 0 if milestone else duration,
        "offset": offset,
        "is_milestone": milestone,
        # The plan's launch: its forecast date is the plan's forecast launch (schedule/selectors.py).
        "is_launch": launch,
        "visibility": "shared" if shared else "internal",
        "watchouts": list(watchouts),
    }


TOC_TASKS = [
    # 官网介绍 — product intro page on the official site
    _task("positioning", PHASE_INTRO, "产品定位与核心卖点梳理", 3, shared=True,
          description="明确目标用户、核心场景与竞品差异。Product positioning and key selling points.",
          watchouts=["目标用户画像已确认", "竞品对比已完成", "卖点经合作方确认"]),
    _task("intro-page", PHASE_INTRO, "官网产品页文案与视觉设计", 5, shared=True,
          description="产品页、功能介绍、客户案例与价格页入口。Official product page copy and design.",
          watchouts=["文案不含绝对化用语（广告法）", "客户案例已获授权", "中英文版本一致"]),
    _task("intro-publish", PHASE_INTRO, "官网页面评审与发布", 2,
          description="市场、法务评审后发布。Review with marketing and legal, then publish.",
          watchouts=["法务已审核", "SEO 关键词已配置"]),
    # 接口文档 — API docs
    _task("api-spec", PHASE_DOCS, "API 接口定义与错误码规范", 5, offset=2, shared=True,
          description="云 API 3.0 风格的接口、鉴权（签名 v3）与错误码。API definitions, auth and error codes.",
          watchouts=["接口命名符合云 API 规范", "错误码表已对齐", "限频策略已明确"]),
    _task("api-docs", PHASE_DOCS, "接入文档编写（快速入门 / API 参考 / SDK 指南）", 6, shared=True,
          description="Quick start, API reference and SDK guide for developers.",
          watchouts=["示例代码可运行", "隐私合规说明已写入 SDK 指南"]),
    _task("docs-publish", PHASE_DOCS, "文档评审并发布到文档中心", 2,
          description="Docs review and publication on the documentation center.",
          watchouts=["技术写作评审通过", "文档链接已挂到控制台"]),
    # SDK/控制台集成 — SDK / console integration
    _task("sdk-integration", PHASE_INTEGRATION, "App/游戏 SDK 集成（Android / iOS / Unity）", 10, shared=True,
          description="合作方客户端接入 SDK，完成初始化、鉴权与核心能力调用。App / game SDK integration.",
          watchouts=["SDK 版本已锁定", "混淆规则已配置", "初始化时机符合隐私合规（同意后初始化）"]),
    _task("channel-packages", PHASE_INTEGRATION, "渠道包适配与打包验证（应用商店 / 联运渠道）", 5, shared=True,
          description="华为、小米、OPPO、vivo、TapTap 等渠道包逐一验证。Channel package builds.",
          watchouts=["各渠道 SDK 冲突已排查", "渠道包签名校验通过"]),
    _task("console", PHASE_INTEGRATION, "控制台集成（开通页 / 配置页 / 数据看板）", 8,
          description="Console integration: activation, configuration and dashboards.",
          watchouts=["CAM 权限策略已配置", "子账号权限已验证"]),
    _task("sdk-performance", PHASE_INTEGRATION, "SDK 包体增量与性能评估", 3, shared=True,
          description="包体增量、启动耗时、CPU/内存占用。SDK size and performance budget.",
          watchouts=["包体增量在预算内", "启动耗时增量在预算内"]),
    # 联调测试 — joint debugging & integration testing
    _task("test-env", PHASE_TESTING, "测试环境与测试账号准备", 2, shared=True,
          description="Test environment and test accounts for both sides.",
          watchouts=["测试环境就绪", "测试账号已发放"]),
    _task("test-cases", PHASE_TESTING, "测试用例编写与评审", 3, shared=True,
          description="Test cases written and reviewed by both sides.",
          watchouts=["测试用例已评审", "异常与边界场景已覆盖"]),
    _task("joint-debug", PHASE_TESTING, "双方联调", 8, shared=True,
          description="端到端联调，缺陷跟踪到关闭。End-to-end joint debugging.",
          watchouts=JOINT_DEBUG_WATCHOUTS),
    _task("compatibility", PHASE_TESTING, "机型兼容性与弱网测试", 5, shared=True,
          description="Top 机型覆盖、弱网与断网场景。Device compatibility and weak-network tests.",
          watchouts=["Top 100 机型已覆盖", "崩溃率增量在预算内"]),
    _task("joint-debug-done", PHASE_TESTING, "联调完成", 0, milestone=True, shared=True,
          description="Milestone: joint debugging signed off by both sides.",
          watchouts=["双方签字确认"]),
    # 计费 — billing & settlement
    _task("billing-model", PHASE_BILLING, "计费模式与定价（按 DAU / 按调用量）", 3,
          description="Billing model and price list.",
          watchouts=["定价已过价格委员会", "免费额度已明确"]),
    _task("billing-integration", PHASE_BILLING, "计费项接入与账单核对", 5, shared=True,
          description="计费项上报、账单试算与对账。Billing items and bill reconciliation.",
          watchouts=["计量数据与账单一致", "欠费停服策略已确认"]),
    _task("settlement", PHASE_BILLING, "分成与结算规则确认", 3, shared=True,
          description="Revenue share and settlement rules with the partner.",
          watchouts=["结算周期已约定", "发票类型已确认"]),
    # 安全合规审核 — security & compliance review
    _task("privacy", PHASE_COMPLIANCE, "玩家隐私合规与个人信息保护评估", 5, shared=True,
          description="《个人信息保护法》、App 收集个人信息清单、SDK 合规声明。Privacy and personal data protection.",
          watchouts=["隐私政策已更新", "个人信息收集清单已公示", "最小必要原则已核对"]),
    _task("minors", PHASE_COMPLIANCE, "未成年人保护与实名认证检查", 3, shared=True,
          description="防沉迷、实名认证与适龄提示。Minor protection and real-name checks.",
          watchouts=["防沉迷系统已接入", "适龄提示已展示"]),
    _task("security-review", PHASE_COMPLIANCE, "安全评审与渗透测试", 5,
          description="Security review and penetration test.",
          watchouts=["高危漏洞已修复", "安全评审报告已归档"]),
    _task("compliance-passed", PHASE_COMPLIANCE, "安全合规审核通过", 0, milestone=True,
          description="Milestone: security and compliance review passed."),
    # 上线 — launch
    _task("release-window", PHASE_LAUNCH, "对齐大促 / 版本更新节点", 1, shared=True,
          description="避开或借势大促与版本节点，确定上线窗口。Align with sales events and release trains.",
          watchouts=["上线窗口已避开封网期", "双方运营日历已对齐"]),
    _task("gray-release", PHASE_LAUNCH, "灰度发布（1% → 10% → 全量）", 5, shared=True,
          description="Staged rollout with rollback plan.",
          watchouts=["回滚方案已演练", "监控告警已配置"]),
    _task("launch", PHASE_LAUNCH, "正式上线", 0, milestone=True, launch=True, shared=True,
          description="Milestone: general availability."),
    _task("launch-announcement", PHASE_LAUNCH, "上线公告与渠道推广", 2, shared=True,
          description="Launch announcement, store listing notes and channel promotion.",
          watchouts=["公告已经双方确认"]),
    # 运营 — operations & after-sales
    _task("monitoring", PHASE_OPERATIONS, "上线后数据监控与周报（首月）", 20, shared=True,
          description="Post-launch monitoring and weekly report.",
          watchouts=["核心指标看板已共享", "周报模板已确认"]),
    _task("after-sales", PHASE_OPERATIONS, "售后工单与问题响应机制", 3, offset=25, shared=True,
          description="工单入口、值班表、升级路径。After-sales tickets and escalation.",
          watchouts=["值班表已发布", "升级联系人已确认"]),
    _task("retrospective", PHASE_OPERATIONS, "项目复盘", 2,
          description="Retrospective: what to keep, what to change.",
          watchouts=["复盘结论已同步管理层"]),
]

TOC_LINKS = [
    ("positioning", "intro-page", "SS", 2),
    ("intro-page", "intro-publish", "FS", 0),
    ("api-spec", "api-docs", "SS", 2),
    ("api-docs", "docs-publish", "FS", 0),
    ("api-spec", "sdk-integration", "FS", 0),
    ("sdk-integration", "channel-packages", "FS", -2),
    ("sdk-integration", "console", "SS", 3),
    ("sdk-integration", "sdk-performance", "SS", 5),
    ("sdk-integration", "test-env", "SS", 5),
    ("api-spec", "test-cases", "FS", 0),
    ("sdk-integration", "joint-debug", "FS", 0),
    ("test-env", "joint-debug", "FS", 0),
    ("test-cases", "joint-debug", "FS", 0),
    ("joint-debug", "compatibility", "SS", 3),
    ("compatibility", "joint-debug-done", "FS", 0),
    ("joint-debug", "joint-debug-done", "FS", 0),
    ("channel-packages", "joint-debug-done", "FS", 0),
    ("positioning", "billing-model", "FS", 0),
    ("billing-model", "billing-integration", "FS", 0),
    ("joint-debug", "billing-integration", "SS", 2),
    ("billing-integration", "settlement", "FF", 0),
    ("sdk-integration", "privacy", "SS", 3),
    ("privacy", "minors", "FS", 0),
    ("joint-debug", "security-review", "SS", 4),
    ("privacy", "compliance-passed", "FS", 0),
    ("minors", "compliance-passed", "FS", 0),
    ("security-review", "compliance-passed", "FS", 0),
    ("joint-debug-done", "release-window", "FS", -3),
    ("joint-debug-done", "gray-release", "FS", 0),
    ("compliance-passed", "gray-release", "FS", 0),
    ("billing-integration", "gray-release", "FS", 0),
    ("docs-publish", "gray-release", "FS", 0),
    ("intro-publish", "launch", "FS", 0),
    ("gray-release", "launch", "FS", 0),
    ("settlement", "launch", "FS", 0),
    ("after-sales", "launch", "FS", 0),
    ("launch", "launch-announcement", "FS", -1),
    ("launch", "monitoring", "FS", 0),
    ("monitoring", "retrospective", "FS", 0),
]

TOB_PHASES = [
    PHASE_INTRO, PHASE_DOCS, PHASE_POC, PHASE_INTEGRATION, PHASE_TESTING,
    PHASE_BILLING, PHASE_COMPLIANCE, PHASE_LAUNCH, PHASE_OPERATIONS,
]

TOB_TASKS = [
    # 官网介绍
    _task("positioning", PHASE_INTRO, "产品定位与行业解决方案梳理", 3, shared=True,
          description="目标行业、客户角色（CISO / CIO）与竞品差异。Positioning and industry solutions.",
          watchouts=["目标行业已确认", "竞品对比已完成"]),
    _task("intro-page", PHASE_INTRO, "官网产品页与行业案例页", 5, shared=True,
          description="产品页、行业解决方案页、标杆客户案例。Product page and customer cases.",
          watchouts=["客户案例已获书面授权", "文案不含绝对化用语（广告法）"]),
    _task("whitepaper", PHASE_INTRO, "解决方案白皮书与售前材料", 5, shared=True,
          description="White paper, pitch deck and pre-sales FAQ.",
          watchouts=["售前 FAQ 已覆盖私有化问题"]),
    # 接口文档
    _task("api-spec", PHASE_DOCS, "OpenAPI 接口定义与错误码规范", 5, offset=2, shared=True,
          description="云 API 3.0 风格接口、签名鉴权、错误码。API definitions and error codes.",
          watchouts=["接口命名符合云 API 规范", "错误码表已对齐"]),
    _task("api-docs", PHASE_DOCS, "接入文档与部署手册（公有云 / 私有化）", 6, shared=True,
          description="API reference plus deployment manual for public and private cloud.",
          watchouts=["私有化部署前置条件已写明", "网络端口清单已列出"]),
    _task("docs-publish", PHASE_DOCS, "文档评审并发布到文档中心", 2,
          description="Docs review and publication.",
          watchouts=["技术写作评审通过"]),
    # POC 验证 — customer proof of concept
    _task("poc-plan", PHASE_POC, "客户 POC 方案与成功标准", 3, offset=5, shared=True,
          description="与客户约定 POC 范围、测试数据与验收标准。POC scope and success criteria.",
          watchouts=["成功标准已书面确认", "测试数据已脱敏"]),
    _task("poc-run", PHASE_POC, "POC 环境部署与功能验证", 10, shared=True,
          description="POC deployment and validation at the customer site or in a dedicated region.",
          watchouts=["客户网络策略已放通", "POC 周报按时发送"]),
    _task("poc-passed", PHASE_POC, "POC 验收通过", 0, milestone=True, shared=True,
          description="Milestone: customer signs the POC report.",
          watchouts=["POC 报告已签字"]),
    # SDK/控制台集成
    _task("console", PHASE_INTEGRATION, "控制台集成（开通 / 授权 / 资源管理）", 8,
          description="Console integration: activation, licensing, resource management.",
          watchouts=["CAM 权限策略已配置", "子账号权限已验证"]),
    _task("sso", PHASE_INTEGRATION, "云 API 与 SSO / CAM 权限对接", 5, shared=True,
          description="Cloud API, single sign-on and access management.",
          watchouts=["最小权限原则已核对"]),
    _task("private-deploy", PHASE_INTEGRATION, "私有化 / 专有云部署包与安装手册", 10, shared=True,
          description="私有化（TCE / 专有云）部署包、离线安装与升级方案。Private / dedicated cloud deployment option.",
          watchouts=["离线安装包已验证", "升级与回滚方案已验证", "硬件配置清单已确认"]),
    _task("adapters", PHASE_INTEGRATION, "客户系统对接适配（数据源 / 日志 / 工单）", 6, shared=True,
          description="Adapters for the customer's systems.",
          watchouts=["适配清单已与客户确认"]),
    # 联调测试
    _task("test-env", PHASE_TESTING, "测试环境与测试账号准备", 2, shared=True,
          description="Test environment and accounts for both sides.",
          watchouts=["测试环境就绪", "测试账号已发放"]),
    _task("joint-debug", PHASE_TESTING, "双方联调", 8, shared=True,
          description="End-to-end joint debugging, defects tracked to closure.",
          watchouts=JOINT_DEBUG_WATCHOUTS),
    _task("performance", PHASE_TESTING, "性能、高可用与容灾测试", 5, shared=True,
          description="Performance, high availability and disaster recovery tests.",
          watchouts=["压测报告已输出", "容灾切换已演练"]),
    _task("private-verify", PHASE_TESTING, "私有化环境部署验证", 5, shared=True,
          description="Verify the private deployment on a customer-like environment.",
          watchouts=["安装时长在目标内", "国产化操作系统 / 芯片已验证"]),
    _task("joint-debug-done", PHASE_TESTING, "联调完成", 0, milestone=True, shared=True,
          description="Milestone: joint debugging signed off.",
          watchouts=["双方签字确认"]),
    # 计费
    _task("billing-model", PHASE_BILLING, "计费模式（包年包月 / 按量 / 私有化授权）", 3,
          description="Billing model for subscription, pay-as-you-go and private licences.",
          watchouts=["定价已过价格委员会"]),
    _task("contract", PHASE_BILLING, "商务合同与报价审批", 8, shared=True,
          description="报价单、折扣审批、合同法务审核与盖章。Contract and quotation approval.",
          watchouts=["折扣审批已通过", "合同已法务审核", "双方已盖章"]),
    _task("billing-integration", PHASE_BILLING, "计费接入与账单核对", 5,
          description="Billing items and bill reconciliation.",
          watchouts=["计量数据与账单一致"]),
    # 安全合规审核
    _task("mlps", PHASE_COMPLIANCE, "等保 2.0 测评配合与整改", 10, shared=True,
          description="等级保护 2.0（三级）测评材料与整改。MLPS 2.0 assessment.",
          watchouts=["定级备案已完成", "整改项已闭环"]),
    _task("data-compliance", PHASE_COMPLIANCE, "数据安全与个人信息合规评估", 5, shared=True,
          description="《数据安全法》《个人信息保护法》、数据出境评估。Data security and privacy compliance.",
          watchouts=["数据分类分级已完成", "数据出境情形已评估", "数据处理协议已签署"]),
    _task("security-review", PHASE_COMPLIANCE, "安全评审与渗透测试", 5,
          description="Security review and penetration test.",
          watchouts=["高危漏洞已修复"]),
    _task("compliance-passed", PHASE_COMPLIANCE, "安全合规审核通过", 0, milestone=True,
          description="Milestone: security and compliance review passed."),
    # 上线
    _task("go-no-go", PHASE_LAUNCH, "上线评审（Go / No-Go）", 1,
          description="Launch review with all owners.",
          watchouts=["回滚方案已演练", "值班表已发布"]),
    _task("launch", PHASE_LAUNCH, "正式上线", 0, milestone=True, launch=True, shared=True,
          description="Milestone: general availability."),
    _task("first-delivery", PHASE_LAUNCH, "首批客户交付与验收", 10, shared=True,
          description="First customer deliveries and acceptance.",
          watchouts=["交付验收单已签署"]),
    # 运营
    _task("sla", PHASE_OPERATIONS, "售后 SLA 与服务台（7×24，P1 故障 1 小时响应）", 3, offset=26, shared=True,
          description="After-sales SLA, service desk and escalation.",
          watchouts=["SLA 已写入合同", "升级路径已确认"]),
    _task("customer-success", PHASE_OPERATIONS, "客户成功与续费跟进", 20, shared=True,
          description="Customer success reviews and renewals.",
          watchouts=["季度服务报告已发送"]),
    _task("retrospective", PHASE_OPERATIONS, "项目复盘", 2,
          description="Retrospective.",
          watchouts=["复盘结论已同步管理层"]),
]

TOB_LINKS = [
    ("positioning", "intro-page", "SS", 2),
    ("positioning", "whitepaper", "FS", 0),
    ("api-spec", "api-docs", "SS", 2),
    ("api-docs", "docs-publish", "FS", 0),
    ("positioning", "poc-plan", "FS", 0),
    ("poc-plan", "poc-run", "FS", 0),
    ("api-spec", "poc-run", "FS", 0),
    ("poc-run", "poc-passed", "FS", 0),
    ("api-spec", "console", "FS", 0),
    ("console", "sso", "SS", 3),
    ("poc-run", "private-deploy", "SS", 5),
    ("poc-passed", "adapters", "FS", -3),
    ("console", "test-env", "FF", 0),
    ("console", "joint-debug", "FS", 0),
    ("sso", "joint-debug", "FS", 0),
    ("adapters", "joint-debug", "FS", 0),
    ("test-env", "joint-debug", "FS", 0),
    ("joint-debug", "performance", "SS", 4),
    ("private-deploy", "private-verify", "FS", 0),
    ("joint-debug", "joint-debug-done", "FS", 0),
    ("performance", "joint-debug-done", "FS", 0),
    ("private-verify", "joint-debug-done", "FS", 0),
    ("positioning", "billing-model", "FS", 0),
    ("billing-model", "contract", "FS", 0),
    ("poc-passed", "contract", "FS", 0),
    ("billing-model", "billing-integration", "FS", 0),
    ("joint-debug", "billing-integration", "SS", 2),
    ("joint-debug", "mlps", "SS", 0),
    ("poc-passed", "data-compliance", "FS", 0),
    ("joint-debug", "security-review", "SS", 4),
    ("mlps", "compliance-passed", "FS", 0),
    ("data-compliance", "compliance-passed", "FS", 0),
    ("security-review", "compliance-passed", "FS", 0),
    ("joint-debug-done", "go-no-go", "FS", 0),
    ("compliance-passed", "go-no-go", "FS", 0),
    ("contract", "go-no-go", "FS", 0),
    ("billing-integration", "go-no-go", "FS", 0),
    ("docs-publish", "go-no-go", "FS", 0),
    ("intro-page", "go-no-go", "FS", 0),
    ("go-no-go", "launch", "FS", 0),
    ("sla", "launch", "FF", 0),
    ("launch", "first-delivery", "FS", 0),
    ("launch", "customer-success", "FS", 5),
    ("first-delivery", "retrospective", "FS", 0),
    ("whitepaper", "first-delivery", "FS", 0),
]

TEMPLATES = [
    {
        "slug": "paas-access-toc",
        "name": "toC 产品 PaaS 接入标准流程",
        "description": (
            "面向消费者（toC）产品的 PaaS 接入标准流程：App / 游戏 SDK 集成、渠道包、玩家隐私合规与"
            "个人信息保护、对齐大促与版本节点。\n"
            "Standard PaaS access checklist for consumer products: app / game SDK integration, "
            "channel packages, player privacy compliance, launch aligned with sales events and releases."
        ),
        "phases": list(REQUIRED_PHASES),
        "tasks": TOC_TASKS,
        "links": TOC_LINKS,
    },
    {
        "slug": "paas-access-tob",
        "name": "toB 产品 PaaS 接入标准流程",
        "description": (
            "面向企业（toB）产品的 PaaS 接入标准流程：客户 POC、私有化 / 专有云部署、等保与数据安全合规、"
            "商务合同与报价审批、售后 SLA。\n"
            "Standard PaaS access checklist for enterprise products: customer POC, private / dedicated "
            "cloud deployment, MLPS and data-security compliance, contract approval, after-sales SLA."
        ),
        "phases": TOB_PHASES,
        "tasks": TOB_TASKS,
        "links": TOB_LINKS,
    },
]


def builtin_text():
    """The shipped templates' names and descriptions in the active language, by slug (the database
    keeps the bilingual text the migration wrote; pages show one language)."""
    from django.utils.translation import gettext as _

    return {
        "paas-access-toc": (
            _("Standard PaaS access for toC products"),
            _("Standard PaaS access checklist for consumer products: app / game SDK integration, "
              "channel packages, player privacy compliance, launch aligned with sales events and releases.")),
        "paas-access-tob": (
            _("Standard PaaS access for toB products"),
            _("Standard PaaS access checklist for enterprise products: customer POC, private / dedicated "
              "cloud deployment, MLPS and data-security compliance, contract approval, after-sales SLA.")),
    }


def check_template_data(template):
    """Problems in one template's data (empty when sound): the migration refuses bad data."""
    problems = []
    keys = [task["key"] for task in template["tasks"]]
    if len(keys) != len(set(keys)):
        problems.append("duplicate task keys")
    for task in template["tasks"]:
        if task["phase"] not in template["phases"]:
            problems.append(f"{task['key']}: unknown phase {task['phase']!r}")
        if task["is_milestone"] and task["duration"]:
            problems.append(f"{task['key']}: a milestone has a duration of 0")
        if task.get("is_launch") and not task["is_milestone"]:
            problems.append(f"{task['key']}: only a milestone can be the launch")
    if sum(bool(task.get("is_launch")) for task in template["tasks"]) != 1:
        problems.append("exactly one task must be the launch milestone")
    known = set(keys)
    pairs = set()
    successors = {key: [] for key in keys}
    for pred, succ, kind, _lag in template["links"]:
        if pred not in known or succ not in known:
            problems.append(f"link {pred} → {succ}: unknown task")
            continue
        if pred == succ or (pred, succ) in pairs:
            problems.append(f"link {pred} → {succ}: self or duplicate link")
        if kind not in ("FS", "SS", "FF", "SF"):
            problems.append(f"link {pred} → {succ}: unknown type {kind}")
        pairs.add((pred, succ))
        successors[pred].append(succ)
    indegree = {key: 0 for key in keys}
    for succs in successors.values():
        for succ in succs:
            indegree[succ] += 1
    ready = [key for key, n in indegree.items() if n == 0]
    seen = 0
    while ready:
        key = ready.pop()
        seen += 1
        for succ in successors[key]:
            indegree[succ] -= 1
            if indegree[succ] == 0:
                ready.append(succ)
    if seen != len(keys):
        problems.append("the links form a cycle")
    return problems
