"""The demo content loaded by ``manage.py load_demo``, as plain data.

Everything here is invented for demonstration (companies marked （示例） do not exist; emails use
example.com). Dates are not stored here: each task gets its planned start from its links
(a forward pass in working days from the plan start), and the command places the plan starts
relative to the day the demo is first loaded, so that "today" falls ``elapsed`` working days into
each plan. Task progress follows from that: tasks planned to finish before today are done,
tasks spanning today are in progress, and tasks marked ``late`` have missed their deadline.

Natural keys (what makes re-runs idempotent): usernames, product names, scenario names,
stakeholder (name, organisation), plan names, and per plan: flow names, lane names, step texts,
metric names, phase names and task titles.
"""
from .builtin_templates import TOB_LINKS

# Demo content of apps above schedule (the interface inventory), registered in their
# AppConfig.ready: load_demo calls each ``load(workspace, products, people)`` → {label: count}.
EXTRA_LOADERS = []


def register_loader(load):
    if load not in EXTRA_LOADERS:
        EXTRA_LOADERS.append(load)


#: The two teams of the demo: every demo plan is the first's; the second has a PM and a plan of
#: its own, so that on first run one can see that a team sees nothing of another's.
TEAM = "安全产品接入组"
OTHER_TEAM = "行业云接入组"

#: How many working days into the reference plan (MTP) "today" is when the demo is first loaded.
ELAPSED_WORKING_DAYS = 22

USERS = [
    {
        "username": "pm", "first_name": "张伟", "last_name": "", "email": "zhangwei@example.com",
        "password_env": "DEMO_PM_PASSWORD", "default_password": "paasport-pm",
        "is_staff": False, "is_superuser": False, "roles": {TEAM: "pm"},
    },
    {
        "username": "manager", "first_name": "王军", "last_name": "", "email": "wangjun@example.com",
        "password_env": "DEMO_MANAGER_PASSWORD", "default_password": "paasport-manager",
        "is_staff": False, "is_superuser": False, "roles": {TEAM: "manager"},
    },
    {
        "username": "admin", "first_name": "管理员", "last_name": "", "email": "admin@example.com",
        "password_env": "DEMO_ADMIN_PASSWORD", "default_password": "paasport-admin",
        "is_staff": True, "is_superuser": True, "roles": {TEAM: "admin", OTHER_TEAM: "admin"},
    },
    {
        "username": "pm2", "first_name": "刘芳", "last_name": "", "email": "liufang@example.com",
        "password_env": "DEMO_PM2_PASSWORD", "default_password": "paasport-pm2",
        "is_staff": False, "is_superuser": False, "roles": {OTHER_TEAM: "pm"},
    },
]

PRODUCTS = [
    {
        "name": "手游安全 MTP",
        "vendor_kind": "internal",
        "vendor_name": "腾讯云 · 游戏安全团队（ACE）",
        "category": "安全",
        "official_url": "https://cloud.tencent.com/product/mtp",
        "api_docs_url": "https://cloud.tencent.com/document/product/1187",
        "console_url": "https://console.cloud.tencent.com/mtp",
        "description": (
            "手游安全 MTP（Mobile Tencent Protect）为手机游戏提供反外挂、防破解、防篡改与安全加固，"
            "客户端 SDK 与云端行为分析结合，支持 Android、iOS 与 Unity / UE 引擎。"
        ),
    },
    {
        "name": "数据安全治理中心 DSGC",
        "vendor_kind": "internal",
        "vendor_name": "腾讯云 · 数据安全产品中心",
        "category": "安全",
        "official_url": "https://cloud.tencent.com/product/dsgc",
        "api_docs_url": "https://cloud.tencent.com/document/product/1087",
        "console_url": "https://console.cloud.tencent.com/dsgc",
        "description": (
            "数据安全治理中心 DSGC 帮助企业发现云上与自建数据资产，按行业标准分类分级，"
            "持续监测数据访问风险并输出合规报表，支持公有云与私有化部署。"
        ),
    },
    {
        "name": "医疗影像云存储方案",
        "vendor_kind": "external",
        "vendor_name": "康影医疗科技有限公司（示例）",
        "category": "存储",
        "official_url": "https://cloud.tencent.com/solution/medical-imaging",
        "api_docs_url": "https://cloud.tencent.com/document/product/436",
        "console_url": "https://console.cloud.tencent.com/cos",
        "description": (
            "基于本地存储网关、COS 对象存储与 CAS 归档存储的医疗影像云存储方案，结合觅影三维影像处理，"
            "支持区域影像共享与远程多学科会诊。"
        ),
    },
]

# The four business-line rows (业务线 | 需求类型 | 代理人层级模式 | 代理发展方式 | 分销产品需求 |
# 业务模式特点 | 对接人), plus the three scenarios the demo plans belong to.
SCENARIOS = [
    {
        "name": "农村渠道",
        "kind": "toA",
        "business_model": "县域服务商 + 村级代理人分销（B2A2C）",
        "channel_chain": ["县级服务商", "乡镇服务站", "村级代理人（村推员）", "农户"],
        "channel_development": (
            "依托县域电商服务站、农资店与供销社网点招募村推员；县级服务商负责线下培训与物料，"
            "代理人通过小程序完成注册、实名与签约。"
        ),
        "products_distributed": "惠农保险、小额信贷、手机充值与宽带、农资电商、乡村政务小程序",
        "business_model_notes": (
            "熟人社会、信任驱动，线下为主；客单价低、季节性强（春耕、秋收、年货节）；"
            "代理人按成交笔数拿佣金，需要极简的开单工具与离线能力。"
        ),
        "pain_points": "网络条件差、代理人数字化能力弱、佣金结算周期长",
        "service_strategy": "极简小程序 + 语音引导；佣金 T+1 结算；县级服务商驻点培训",
        "contact": "农村业务部 · 李娜",
    },
    {
        "name": "校园渠道 (To A)",
        "kind": "toA",
        "business_model": "城市合伙人 + 校园大使分销（B2A2C）",
        "channel_chain": ["城市合伙人", "校园大使", "社团 / 班级代理", "学生"],
        "channel_development": (
            "城市合伙人按城市签约，在各高校招募校园大使；大使发展社团与班级代理，"
            "开学季、毕业季集中地推，线上裂变拉新。"
        ),
        "products_distributed": "学生云服务器优惠套餐、校园流量卡、在线学习会员、云开发实训课程",
        "business_model_notes": (
            "周期性强（开学季、考试季、寒暑假断档）；代理流动性高，每年换届；"
            "拉新依赖社群与裂变，需防刷单与虚假注册。"
        ),
        "pain_points": "代理换届导致渠道断档；刷单与羊毛党；学生身份核验成本高",
        "service_strategy": "学信网学生认证；阶梯佣金 + 换届交接机制；风控识别虚假注册",
        "contact": "校园业务组 · 刘畅",
    },
    {
        "name": "校园渠道 (To B)",
        "kind": "toB",
        "business_model": "区域服务商服务高校（B2B2C）",
        "channel_chain": ["区域服务商", "高校信息中心 / 后勤处", "院系", "师生"],
        "channel_development": (
            "与教育行业区域服务商合作，通过招投标进入高校；信息中心统一采购与运维，"
            "院系按需开通，师生统一身份认证登录。"
        ),
        "products_distributed": "智慧校园 SaaS、云桌面与实验室算力、校园网安全、教学资源存储",
        "business_model_notes": (
            "按学年预算采购，走招投标与政府采购流程；决策链长（信息中心、财务、校领导）；"
            "重视等保、数据不出校与私有化部署。"
        ),
        "pain_points": "采购周期长；预算集中在年底；老旧系统多、对接成本高",
        "service_strategy": "标准化解决方案包；私有化部署选项；驻校运维与年度服务报告",
        "contact": "教育行业部 · 周婷",
    },
    {
        "name": "保险渠道",
        "kind": "toB",
        "business_model": "持牌机构代销（B2B2A2C）",
        "channel_chain": ["保险代销持牌机构", "分支机构", "保代人", "用户"],
        "channel_development": (
            "与保险代销持牌机构（保险中介、银保渠道）总部签约，逐级下发到省市分支机构；"
            "分支机构发展与培训保代人，保代人通过展业工具触达用户。"
        ),
        "products_distributed": "展业 SaaS 与电子投保、双录（录音录像）与合规质检、客户数据安全与加密存储",
        "business_model_notes": (
            "强监管：销售行为可回溯、个人信息保护与数据留存要求严格；"
            "保代人数量大、流动性高；按保费或席位计费。"
        ),
        "pain_points": "合规质检人工成本高；保代人离职带走客户数据；多系统割裂",
        "service_strategy": "双录 AI 质检；客户数据集中托管与权限回收；总部统一开通、分支自助运营",
        "contact": "金融行业部 · 陈晓",
    },
    {
        "name": "手游安全（国内发行）",
        "kind": "toC",
        "business_model": "游戏厂商按 DAU 付费，安全能力服务终端玩家",
        "channel_chain": ["腾讯云", "游戏厂商", "发行渠道 / 应用商店", "玩家"],
        "channel_development": "游戏行业大客户销售直签头部厂商，中腰部厂商通过云市场自助开通",
        "products_distributed": "手游安全 MTP、游戏多媒体引擎、游戏服务器伸缩",
        "business_model_notes": "版本节点与大促（暑期档、国庆、春节）驱动；外挂会直接影响留存与流水",
        "pain_points": "外挂工作室对抗升级快；SDK 包体与性能敏感；渠道包众多",
        "service_strategy": "SDK 一键接入 + 专家驻场对抗；按 DAU 阶梯计费",
        "contact": "游戏行业部 · 陈静",
    },
    {
        "name": "金融行业数据安全合规",
        "kind": "toB",
        "business_model": "集成商交付，银行按年订阅或私有化授权",
        "channel_chain": ["腾讯云", "系统集成商", "城商行 / 农商行", "业务部门"],
        "channel_development": "与金融行业系统集成商联合投标，集成商负责实施与驻场",
        "products_distributed": "数据安全治理中心 DSGC、数据库审计、密钥管理 KMS",
        "business_model_notes": "监管驱动（数据安全法、JR/T 0197 金融数据安全分级指南）；采购走招投标",
        "pain_points": "数据资产不清；分类分级工作量大；私有化环境差异大",
        "service_strategy": "行业分类分级模板 + 私有化部署 + 集成商驻场",
        "contact": "金融行业部 · 郑丽",
    },
    {
        "name": "区域医疗影像协同",
        "kind": "toG",
        "business_model": "卫健委牵头建设区域影像平台，医院按存储量与调阅量付费",
        "channel_chain": ["卫健委", "医联体牵头医院", "基层医院", "患者"],
        "channel_development": "方案商与区域卫健委共建，医联体内医院逐步接入",
        "products_distributed": "医疗影像云存储方案、觅影 AI 辅助诊断、远程会诊平台",
        "business_model_notes": "医疗数据强合规（病历保存期限、数据不出境）；财政预算按年度拨付",
        "pain_points": "基层医院带宽有限；影像数据量大、存储成本高；专家资源集中在大医院",
        "service_strategy": "本地网关加速 + 冷热分层存储 + 远程会诊",
        "contact": "医疗行业部 · 冯雪",
    },
]

_PLATFORM = "腾讯云"
_XINGHE = "星河互娱（示例）"
_HUAXIN = "华信数科（示例）"
_BANK = "江南城市商业银行（示例）"
_KANGYING = "康影医疗科技（示例）"
_HOSPITAL = "市第一人民医院（示例）"

STAKEHOLDERS = {
    # Platform side (腾讯云)
    "zhangwei": {"name": "张伟", "organisation": _PLATFORM, "department": "PaaS 生态接入组", "side": "platform",
                 "role": "产品经理（PM）", "email": "zhangwei@example.com", "phone": "", "account": "pm"},
    "wangjun": {"name": "王军", "organisation": _PLATFORM, "department": "安全产品中心", "side": "platform",
                "role": "总经理（老板）", "email": "wangjun@example.com", "phone": ""},
    "liqiang": {"name": "李强", "organisation": _PLATFORM, "department": "游戏安全研发部", "side": "platform",
                "role": "MTP 研发负责人", "email": "liqiang@example.com", "phone": ""},
    "chenjing": {"name": "陈静", "organisation": _PLATFORM, "department": "游戏行业销售部", "side": "platform",
                 "role": "大客户销售", "email": "chenjing@example.com", "phone": ""},
    "zhaomin": {"name": "赵敏", "organisation": _PLATFORM, "department": "法务与合规部", "side": "platform",
                "role": "合规经理（法务）", "email": "zhaomin@example.com", "phone": ""},
    "sunhao": {"name": "孙浩", "organisation": _PLATFORM, "department": "安全平台部", "side": "platform",
               "role": "安全评审工程师", "email": "sunhao@example.com", "phone": ""},
    "liuyang": {"name": "刘洋", "organisation": _PLATFORM, "department": "计费平台部", "side": "platform",
                "role": "计费产品经理", "email": "liuyang@example.com", "phone": ""},
    "zhoulei": {"name": "周磊", "organisation": _PLATFORM, "department": "技术服务部", "side": "platform",
                "role": "售后与运营负责人", "email": "zhoulei@example.com", "phone": ""},
    "wutao": {"name": "吴涛", "organisation": _PLATFORM, "department": "数据安全研发部", "side": "platform",
              "role": "DSGC 研发负责人", "email": "wutao@example.com", "phone": ""},
    "zhengli": {"name": "郑丽", "organisation": _PLATFORM, "department": "金融行业销售部", "side": "platform",
                "role": "金融行业销售总监", "email": "zhengli@example.com", "phone": ""},
    "fengxue": {"name": "冯雪", "organisation": _PLATFORM, "department": "医疗行业部", "side": "platform",
                "role": "行业解决方案架构师", "email": "fengxue@example.com", "phone": ""},
    # Partner side: 星河互娱 (game studio launching MTP in its title 星河战纪)
    "linfeng": {"name": "林峰", "organisation": _XINGHE, "department": "客户端研发部", "side": "partner",
                "role": "客户端主程（研发）", "email": "linfeng@xinghe.example.com", "phone": "138-0000-1001"},
    "machao": {"name": "马超", "organisation": _XINGHE, "department": "服务端研发部", "side": "partner",
               "role": "服务端负责人（研发）", "email": "machao@xinghe.example.com", "phone": "138-0000-1002"},
    "heyu": {"name": "何雨", "organisation": _XINGHE, "department": "产品部", "side": "partner",
             "role": "游戏制作人（产品）", "email": "heyu@xinghe.example.com", "phone": "138-0000-1003"},
    "gaoxiang": {"name": "高翔", "organisation": _XINGHE, "department": "商务部", "side": "partner",
                 "role": "商务总监", "email": "gaoxiang@xinghe.example.com", "phone": "138-0000-1004"},
    # Partner side: 华信数科 (integrator) and its bank customer
    "xubin": {"name": "许斌", "organisation": _HUAXIN, "department": "交付中心", "side": "partner",
              "role": "交付研发负责人", "email": "xubin@huaxin.example.com", "phone": "139-0000-2001"},
    "qianfang": {"name": "钱芳", "organisation": _HUAXIN, "department": "解决方案部", "side": "partner",
                 "role": "解决方案产品经理", "email": "qianfang@huaxin.example.com", "phone": "139-0000-2002"},
    "handong": {"name": "韩冬", "organisation": _HUAXIN, "department": "商务部", "side": "partner",
                "role": "商务经理", "email": "handong@huaxin.example.com", "phone": "139-0000-2003"},
    "songjia": {"name": "宋佳", "organisation": _BANK, "department": "信息安全部", "side": "partner",
                "role": "客户安全负责人（CISO）", "email": "songjia@bank.example.com", "phone": "139-0000-2004"},
    # Partner side: 康影医疗 (solution vendor) and the pilot hospital
    "tangning": {"name": "唐宁", "organisation": _KANGYING, "department": "研发中心", "side": "partner",
                 "role": "研发总监", "email": "tangning@kangying.example.com", "phone": "137-0000-3001"},
    "luowei": {"name": "罗薇", "organisation": _KANGYING, "department": "产品部", "side": "partner",
               "role": "产品经理", "email": "luowei@kangying.example.com", "phone": "137-0000-3002"},
    "dengkai": {"name": "邓凯", "organisation": _KANGYING, "department": "商务部", "side": "partner",
                "role": "商务经理", "email": "dengkai@kangying.example.com", "phone": "137-0000-3003"},
    "pengyi": {"name": "彭怡", "organisation": _HOSPITAL, "department": "影像科", "side": "partner",
               "role": "影像科主任", "email": "pengyi@hospital.example.com", "phone": "137-0000-3004"},
}


def T(key, phase, title, duration, owner, *, shared=False, milestone=False, description="", watchouts=(),
      flow=False, offset=0, late=None, deadline=None, snet=None, priority=None):
    """One demo task.

    ``late``: (status, percent) for a task that missed its deadline (set a few days before today).
    ``deadline``: working days of slack after the planned finish, or "launch" for the plan's target
    launch date. ``snet``: "start no earlier than", in working days from the plan start.
    """
    return {
        "key": key, "phase": phase, "title": title, "duration": 0 if milestone else duration,
        "owner": owner, "visibility": "shared" if shared else "internal", "is_milestone": milestone,
        "description": description, "watchouts": list(watchouts), "flow": flow, "offset": offset,
        "late": late, "deadline": deadline, "snet": snet, "priority": priority,
        # Each demo plan's "launch" task is its launch milestone (the plan's forecast launch).
        "is_launch": key == "launch",
    }


INTRO, DOCS, POC, INTEG, TEST, BILL, COMPL, LAUNCH, OPS = (
    "官网介绍", "接口文档", "POC 验证", "SDK/控制台集成", "联调测试", "计费", "安全合规审核", "上线", "运营",
)
JOINT_DEBUG_WATCHOUTS = ["测试环境就绪", "测试账号已发放", "测试用例已评审", "缺陷已关闭", "双方签字确认"]

MTP_PLAN = {
    "name": "手游安全 MTP ·《星河战纪》接入",
    "product": "手游安全 MTP",
    "scenario": "手游安全（国内发行）",
    "shift": 0,  # the reference plan: today is ELAPSED_WORKING_DAYS into it
    "status": "active",
    "launch_buffer": 5,
    "summary": (
        "星河互娱新作《星河战纪》（MOBA 手游）在周年庆版本前接入 MTP：客户端 SDK 反外挂 + 云端行为识别，"
        "目标外挂检出率 ≥ 95%、误封率 ≤ 0.01%，与周年庆版本同步上线。"
    ),
    "phases": [INTRO, DOCS, INTEG, TEST, BILL, COMPL, LAUNCH, OPS],
    "flows": [
        {
            "name": "登录与对局反外挂",
            "need": "保护对局公平：识别外挂、模拟器、多开与内存篡改，减少玩家流失与流水损失。",
            "features": "MTP SDK 客户端防护（反调试、反注入、内存保护）+ 云端特征与行为模型识别 + 运营后台处置与申诉。",
            "lanes": [
                ("玩家", "role"), ("游戏客户端", "system"), ("MTP SDK", "system"),
                ("游戏服务器", "system"), ("MTP 云端安全服务", "system"), ("运营后台", "role"),
            ],
            "steps": [
                ("玩家", "启动游戏并登录"),
                ("游戏客户端", "同意隐私政策后初始化 MTP SDK"),
                ("MTP SDK", "检测模拟器、Root / 越狱、调试器与注入"),
                ("MTP SDK", "对局中保护内存与关键数据，采集安全特征"),
                ("游戏服务器", "校验 SDK 安全令牌并上报对局数据"),
                ("MTP 云端安全服务", "特征匹配与行为模型识别外挂"),
                ("MTP 云端安全服务", "输出风险等级与处置建议"),
                ("游戏服务器", "按策略踢出对局、限制匹配或封号"),
                ("运营后台", "复核申诉、调整策略并查看外挂数据报表"),
                ("玩家", "收到处置通知，可在线申诉"),
            ],
            "metrics": [
                ("外挂检出率", "≥ 95", "%"),
                ("误封率", "≤ 0.01", "%"),
                ("SDK 包体增量", "≤ 1.5", "MB"),
                ("启动耗时增量", "≤ 50", "ms"),
                ("崩溃率增量", "≤ 0.01", "%"),
                ("接入时长", "≤ 5", "人日"),
            ],
        },
    ],
    "stakeholders": [
        {"key": "zhangwei", "relevance": 5, "influence": 4, "audience": "team", "capacity": 3,
         "concerns": "按周年庆版本节点上线；接入时长 ≤ 5 人日；合作方满意度",
         "modules": "全流程", "steps": [1, 2, 9],
         "internal_notes": "每周二与星河互娱例会，周五发周报给王总。"},
        {"key": "wangjun", "relevance": 3, "influence": 5, "audience": "management",
         "concerns": "游戏行业标杆案例；季度新签 ARR；安全口碑",
         "modules": "", "steps": [],
         "internal_notes": "只看里程碑与风险，汇报控制在一页以内。"},
        {"key": "liqiang", "relevance": 5, "influence": 3, "audience": "team", "capacity": 2,
         "concerns": "SDK 包体增量 ≤ 1.5 MB；误封率 ≤ 0.01%；云端识别延迟",
         "modules": "MTP SDK、云端安全服务、控制台", "steps": [2, 3, 4, 6, 7],
         "internal_notes": "研发同时支持两款游戏，联调窗口需提前一周预约。"},
        {"key": "chenjing", "relevance": 3, "influence": 4, "audience": "team",
         "concerns": "合同签署时间；按 DAU 阶梯报价；后续续约",
         "modules": "商务", "steps": [],
         "internal_notes": "客户关系由陈静主导，报价口径统一走她。"},
        {"key": "zhaomin", "relevance": 2, "influence": 4, "audience": "team",
         "concerns": "个人信息保护法合规；SDK 合规清单；未成年人保护",
         "modules": "隐私政策、SDK 合规声明", "steps": [2],
         "internal_notes": "隐私政策修改需提前 5 个工作日提交法务。"},
        {"key": "sunhao", "relevance": 2, "influence": 3, "audience": "team",
         "concerns": "高危漏洞清零；渗透测试报告；数据传输加密",
         "modules": "安全评审", "steps": [5, 6], "internal_notes": ""},
        {"key": "liuyang", "relevance": 2, "influence": 2, "audience": "team",
         "concerns": "计费准确率 100%；账单与计量一致", "modules": "计费", "steps": [], "internal_notes": ""},
        {"key": "zhoulei", "relevance": 3, "influence": 2, "audience": "team", "capacity": 2,
         "concerns": "工单首次响应 ≤ 30 分钟；上线后外挂周报", "modules": "售后、运营后台", "steps": [9, 10],
         "internal_notes": ""},
        {"key": "linfeng", "relevance": 5, "influence": 3, "audience": "partner", "capacity": 2,
         "concerns": "SDK 包体与启动耗时；崩溃率；接入文档清晰", "modules": "游戏客户端、渠道包",
         "steps": [1, 2, 3, 4], "internal_notes": "技术扎实，偏好邮件 + 企业微信群沟通。"},
        {"key": "machao", "relevance": 4, "influence": 2, "audience": "partner",
         "concerns": "服务器校验性能；处置接口稳定性", "modules": "游戏服务器",
         "steps": [5, 8], "internal_notes": ""},
        {"key": "heyu", "relevance": 4, "influence": 5, "audience": "partner",
         "concerns": "玩家体验（误封投诉）；周年庆版本按时发布；外挂对留存的影响",
         "modules": "产品与运营", "steps": [1, 8, 9, 10],
         "internal_notes": "最终拍板人；最担心误封引发舆情。"},
        {"key": "gaoxiang", "relevance": 3, "influence": 4, "audience": "partner",
         "concerns": "价格与免费额度；结算周期；联合宣传", "modules": "商务", "steps": [],
         "internal_notes": "希望首年折扣，已报王总审批。"},
    ],
    "tasks": [
        T("positioning", INTRO, "梳理 MTP 游戏行业卖点与案例", 3, "zhangwei", shared=True, flow=True,
          description="整理反外挂、防破解、安全加固的卖点与同类游戏案例。",
          watchouts=["竞品对比已完成", "卖点经星河互娱确认"]),
        T("intro-page", INTRO, "官网 MTP 产品页增加《星河战纪》合作案例", 5, "heyu", shared=True,
          description="合作方提供案例素材与授权，平台侧改版产品页。",
          watchouts=["案例素材已获书面授权", "文案不含绝对化用语（广告法）", "中英文版本一致"]),
        T("intro-publish", INTRO, "官网页面评审与发布", 2, "zhangwei",
          watchouts=["法务已审核", "SEO 关键词已配置"]),
        T("api-spec", DOCS, "MTP 云 API 接口与错误码确认", 5, "liqiang", shared=True, offset=2,
          description="安全令牌校验、处置回调、数据查询接口；签名 v3 鉴权。",
          watchouts=["错误码表已对齐", "回调重试策略已明确", "限频策略已明确"]),
        T("api-docs", DOCS, "编写 SDK 接入指南（Android / iOS / Unity）", 6, "liqiang", shared=True,
          watchouts=["示例工程可运行", "SDK 合规使用说明已写入"]),
        T("docs-publish", DOCS, "接入文档评审并发布到文档中心", 2, "zhangwei",
          watchouts=["技术写作评审通过", "文档链接已挂到控制台"]),
        T("sdk-android", INTEG, "《星河战纪》Android 客户端集成 MTP SDK", 8, "linfeng", shared=True, flow=True,
          description="Unity 2022 工程，IL2CPP 构建；同意隐私政策后初始化 SDK。",
          watchouts=["SDK 版本已锁定", "混淆规则已配置", "同意隐私政策后再初始化"]),
        T("sdk-ios", INTEG, "iOS 客户端与 Unity 插件集成", 6, "linfeng", shared=True, flow=True,
          watchouts=["Bitcode / 符号表设置已确认"]),
        T("channel-packages", INTEG, "渠道包适配（华为 / 小米 / OPPO / vivo / TapTap）", 5, "linfeng", shared=True,
          late=("in_progress", 60),
          description="各渠道 SDK 与 MTP 的冲突排查，逐个出包验证。vivo 渠道包启动崩溃待定位。",
          watchouts=["各渠道 SDK 冲突已排查", "渠道包签名校验通过", "vivo 渠道包崩溃已修复"]),
        T("server-token", INTEG, "游戏服务器对接安全令牌校验与处置接口", 5, "machao", shared=True, flow=True,
          watchouts=["令牌校验超时降级策略已确认", "处置接口幂等"]),
        T("console", INTEG, "控制台：开通页与处置策略配置页", 8, "liqiang",
          watchouts=["CAM 权限策略已配置", "子账号权限已验证"]),
        T("sdk-performance", INTEG, "SDK 包体与启动性能评估", 3, "liqiang", shared=True,
          watchouts=["包体增量 ≤ 1.5 MB", "启动耗时增量 ≤ 50 ms"]),
        T("test-env", TEST, "测试环境与测试账号准备", 2, "machao", shared=True,
          watchouts=["测试环境就绪", "测试账号已发放", "测试服白名单已配置"]),
        T("test-cases", TEST, "测试用例编写与评审", 3, "zhoulei", shared=True,
          watchouts=["测试用例已评审", "外挂样本已准备"]),
        T("joint-debug", TEST, "端到端联调（登录 → 对局 → 处置 → 申诉）", 8, "linfeng", shared=True, flow=True,
          watchouts=JOINT_DEBUG_WATCHOUTS),
        T("compatibility", TEST, "Top 200 机型兼容性与弱网测试", 5, "zhoulei", shared=True,
          watchouts=["Top 200 机型已覆盖", "崩溃率增量 ≤ 0.01%"]),
        T("joint-debug-done", TEST, "联调完成", 0, "zhangwei", shared=True, milestone=True, deadline=3,
          watchouts=["双方签字确认"]),
        T("billing-model", BILL, "确定计费模式（按 DAU 阶梯计费）", 3, "liuyang",
          watchouts=["定价已过价格委员会", "免费额度已明确"]),
        T("contract", BILL, "商务报价与合作协议签署", 8, "chenjing", shared=True, deadline=5,
          watchouts=["首年折扣已审批", "合同已法务审核", "双方已盖章"]),
        T("billing-integration", BILL, "计费项接入与账单核对", 5, "liuyang",
          watchouts=["计量数据与账单一致", "欠费停服策略已确认"]),
        T("privacy", COMPL, "玩家隐私合规与个人信息保护评估", 5, "zhaomin", shared=True, flow=True,
          late=("blocked", 40),
          description="更新《星河战纪》隐私政策与第三方 SDK 清单；等待星河互娱法务确认新版隐私政策。",
          watchouts=["隐私政策已更新", "第三方 SDK 清单已公示", "最小必要原则已核对"]),
        T("minors", COMPL, "未成年人防沉迷与实名认证检查", 3, "zhaomin", shared=True,
          watchouts=["防沉迷系统已接入", "适龄提示已展示"]),
        T("security-review", COMPL, "安全评审与渗透测试", 5, "sunhao",
          watchouts=["高危漏洞已修复", "安全评审报告已归档"]),
        T("compliance-passed", COMPL, "安全合规审核通过", 0, "zhaomin", milestone=True),
        T("release-window", LAUNCH, "对齐周年庆版本与应用商店审核窗口", 1, "heyu", shared=True,
          watchouts=["避开商店审核高峰", "双方运营日历已对齐"]),
        T("gray-release", LAUNCH, "灰度发布（1% → 10% → 全量）", 5, "linfeng", shared=True,
          watchouts=["回滚方案已演练", "误封监控告警已配置"]),
        T("launch", LAUNCH, "正式上线", 0, "zhangwei", shared=True, milestone=True, deadline="launch",
          priority=20),
        T("launch-announcement", LAUNCH, "上线公告与联合宣传", 2, "gaoxiang", shared=True,
          watchouts=["公告已经双方确认"]),
        T("monitoring", OPS, "上线首月外挂数据周报", 20, "zhoulei", shared=True, flow=True,
          watchouts=["外挂数据看板已共享", "周报模板已确认"]),
        T("after-sales", OPS, "售后工单与 7×24 响应机制", 3, "zhoulei", shared=True, offset=25,
          watchouts=["值班表已发布", "升级联系人已确认"]),
        T("retrospective", OPS, "项目复盘", 2, "zhangwei",
          watchouts=["复盘结论已同步王总"]),
    ],
    "links": [
        ("positioning", "intro-page", "SS", 2),
        ("intro-page", "intro-publish", "FS", 0),
        ("api-spec", "api-docs", "SS", 2),
        ("api-docs", "docs-publish", "FS", 0),
        ("api-spec", "sdk-android", "FS", 0),
        ("sdk-android", "sdk-ios", "SS", 3),
        ("sdk-android", "channel-packages", "FS", -5),
        ("api-spec", "server-token", "FS", 2),
        ("sdk-android", "console", "SS", 2),
        ("sdk-android", "sdk-performance", "FF", 1),
        ("sdk-android", "test-env", "SS", 4),
        ("api-spec", "test-cases", "FS", 0),
        ("sdk-android", "joint-debug", "FS", 0),
        ("sdk-ios", "joint-debug", "FF", 0),
        ("server-token", "joint-debug", "FS", 0),
        ("test-env", "joint-debug", "FS", 0),
        ("test-cases", "joint-debug", "FS", 0),
        ("joint-debug", "compatibility", "SS", 3),
        ("joint-debug", "joint-debug-done", "FS", 0),
        ("compatibility", "joint-debug-done", "FS", 0),
        ("channel-packages", "joint-debug-done", "FS", 0),
        ("positioning", "billing-model", "FS", 0),
        ("billing-model", "contract", "FS", 0),
        ("billing-model", "billing-integration", "FS", 0),
        ("joint-debug", "billing-integration", "SS", 2),
        ("sdk-android", "privacy", "SS", 0),
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
        ("contract", "launch", "FS", 0),
        ("after-sales", "launch", "FS", 0),
        ("launch", "launch-announcement", "FS", -1),
        ("launch", "monitoring", "FS", 0),
        ("monitoring", "retrospective", "FS", 0),
    ],
}

DSGC_PLAN = {
    "name": "数据安全治理中心 DSGC · 江南城商行合规项目",
    "product": "数据安全治理中心 DSGC",
    "scenario": "金融行业数据安全合规",
    "shift": -6,  # started six working days before the MTP plan
    "status": "active",
    "launch_buffer": 5,
    "summary": (
        "与集成商华信数科联合交付：江南城商行 POC 通过后，DSGC 以私有化方式部署，满足《数据安全法》"
        "与 JR/T 0197 分类分级要求，并配合等保 2.0 三级测评。"
    ),
    "phases": [INTRO, DOCS, POC, INTEG, TEST, BILL, COMPL, LAUNCH, OPS],
    "flows": [
        {
            "name": "数据资产发现与分类分级",
            "need": "摸清敏感数据分布、按金融行业标准分类分级，持续监测数据访问风险并留存审计，满足监管检查。",
            "features": "DSGC 自动发现数据资产 + 行业模板分类分级 + 风险监测告警 + 合规报表与审计留存。",
            "lanes": [
                ("客户安全负责人", "role"), ("数据库 / 数据源", "system"), ("DSGC 资产发现", "system"),
                ("分类分级引擎", "system"), ("风险监测", "system"), ("审计与报表", "system"),
            ],
            "steps": [
                ("客户安全负责人", "授权接入数据源（只读账号、最小权限）"),
                ("数据库 / 数据源", "提供云数据库、自建库与对象存储的连接信息"),
                ("DSGC 资产发现", "自动发现数据资产并生成资产清单"),
                ("分类分级引擎", "按 JR/T 0197 模板识别敏感字段"),
                ("分类分级引擎", "输出分类分级结果，客户复核确认"),
                ("风险监测", "监测异常访问、批量导出与越权操作"),
                ("风险监测", "告警推送至客户安全运营中心（SOC）"),
                ("审计与报表", "生成合规报表并留存审计日志"),
                ("客户安全负责人", "审阅报表并推动整改闭环"),
            ],
            "metrics": [
                ("资产发现覆盖率", "≥ 98", "%"),
                ("敏感字段识别准确率", "≥ 95", "%"),
                ("风险告警延迟", "≤ 5", "分钟"),
                ("审计日志留存", "≥ 180", "天"),
                ("私有化部署时长", "≤ 3", "天"),
                ("POC 周期", "≤ 4", "周"),
            ],
        },
    ],
    "stakeholders": [
        {"key": "zhangwei", "relevance": 5, "influence": 4, "audience": "team", "capacity": 3,
         "concerns": "POC 通过率；私有化交付周期；标杆客户落地", "modules": "全流程", "steps": [1, 9],
         "internal_notes": "与 MTP 项目并行，优先保证 POC 节点。"},
        {"key": "wangjun", "relevance": 2, "influence": 5, "audience": "management",
         "concerns": "金融行业标杆；合同额；交付风险", "modules": "", "steps": [], "internal_notes": ""},
        {"key": "wutao", "relevance": 5, "influence": 3, "audience": "team", "capacity": 2,
         "concerns": "识别准确率 ≥ 95%；私有化版本稳定性；国产化适配",
         "modules": "资产发现、分类分级引擎、风险监测", "steps": [3, 4, 5, 6],
         "internal_notes": "私有化版本每月一个发布窗口。"},
        {"key": "zhengli", "relevance": 3, "influence": 4, "audience": "team",
         "concerns": "合同签署与回款；报价审批", "modules": "商务", "steps": [], "internal_notes": ""},
        {"key": "zhaomin", "relevance": 3, "influence": 3, "audience": "team",
         "concerns": "数据处理协议；数据不出行；等保材料", "modules": "合规", "steps": [8],
         "internal_notes": ""},
        {"key": "sunhao", "relevance": 2, "influence": 3, "audience": "team",
         "concerns": "渗透测试；私有化版本漏洞修复时效", "modules": "安全评审", "steps": [6],
         "internal_notes": ""},
        {"key": "zhoulei", "relevance": 3, "influence": 2, "audience": "team",
         "concerns": "SLA：P1 故障 1 小时响应；驻场交接", "modules": "售后", "steps": [7],
         "internal_notes": ""},
        {"key": "xubin", "relevance": 5, "influence": 2, "audience": "partner", "capacity": 2,
         "concerns": "部署手册完整；适配客户的国产化数据库", "modules": "私有化部署、数据源适配",
         "steps": [2, 3], "internal_notes": "驻场在行方，周一到周四在现场。"},
        {"key": "qianfang", "relevance": 4, "influence": 3, "audience": "partner",
         "concerns": "解决方案材料；POC 成功标准", "modules": "方案与 POC", "steps": [5, 8],
         "internal_notes": ""},
        {"key": "handong", "relevance": 3, "influence": 4, "audience": "partner",
         "concerns": "分成比例；投标时间", "modules": "商务", "steps": [], "internal_notes": ""},
        {"key": "songjia", "relevance": 4, "influence": 5, "audience": "partner",
         "concerns": "监管检查前完成分类分级；告警不扰民；数据不出行", "modules": "客户侧决策",
         "steps": [1, 5, 7, 9], "internal_notes": "关键决策人，月底有监管检查。"},
    ],
    "tasks": [
        T("positioning", INTRO, "梳理 DSGC 金融行业解决方案", 3, "zhangwei", shared=True,
          watchouts=["目标客户画像已确认", "竞品对比已完成"]),
        T("intro-page", INTRO, "官网金融行业数据安全解决方案页", 5, "qianfang", shared=True,
          watchouts=["客户案例已获书面授权", "文案不含绝对化用语（广告法）"]),
        T("whitepaper", INTRO, "金融数据安全分类分级白皮书", 5, "qianfang", shared=True,
          watchouts=["引用标准版本已核对"]),
        T("api-spec", DOCS, "DSGC OpenAPI 与资产同步接口确认", 5, "wutao", shared=True, offset=2,
          watchouts=["接口命名符合云 API 规范", "错误码表已对齐"]),
        T("api-docs", DOCS, "接入文档与私有化部署手册", 6, "wutao", shared=True,
          watchouts=["网络端口清单已列出", "硬件配置清单已列出"]),
        T("docs-publish", DOCS, "文档评审并发布到文档中心", 2, "zhangwei",
          watchouts=["技术写作评审通过"]),
        T("poc-plan", POC, "江南城商行 POC 方案与成功标准", 3, "qianfang", shared=True, flow=True,
          watchouts=["成功标准已书面确认", "测试数据已脱敏"]),
        T("poc-run", POC, "POC 部署与分类分级验证", 10, "xubin", shared=True, flow=True,
          watchouts=["行方网络策略已放通", "POC 周报按时发送", "识别准确率达标"]),
        T("poc-passed", POC, "POC 验收通过", 0, "songjia", shared=True, milestone=True, deadline=2,
          watchouts=["POC 报告已签字"]),
        T("console", INTEG, "控制台集成（开通 / 授权 / 资源管理）", 8, "wutao",
          watchouts=["CAM 权限策略已配置"]),
        T("sso", INTEG, "对接行方统一身份认证（SSO）", 5, "xubin", shared=True,
          watchouts=["最小权限原则已核对"]),
        T("private-deploy", INTEG, "私有化部署包与安装手册（信创环境）", 10, "wutao", shared=True,
          late=("in_progress", 50),
          description="麒麟 V10 + 鲲鹏 920 环境的离线安装包；达梦数据库驱动适配延期。",
          watchouts=["离线安装包已验证", "达梦数据库驱动已适配", "升级与回滚方案已验证"]),
        T("adapters", INTEG, "数据源适配（Oracle / MySQL / 达梦 / HDFS）", 6, "xubin", shared=True, flow=True,
          watchouts=["数据源清单已与行方确认", "只读账号已开通"]),
        T("test-env", TEST, "测试环境与测试账号准备", 2, "xubin", shared=True,
          watchouts=["测试环境就绪", "测试账号已发放"]),
        T("joint-debug", TEST, "双方联调（资产发现 → 分级 → 告警 → 报表）", 8, "xubin", shared=True, flow=True,
          watchouts=JOINT_DEBUG_WATCHOUTS),
        T("performance", TEST, "性能与高可用测试（10 万张表）", 5, "wutao", shared=True,
          watchouts=["压测报告已输出", "主备切换已演练"]),
        T("private-verify", TEST, "行方准生产环境部署验证", 5, "xubin", shared=True,
          watchouts=["安装时长 ≤ 3 天", "信创环境已验证"]),
        T("joint-debug-done", TEST, "联调完成", 0, "zhangwei", shared=True, milestone=True,
          watchouts=["双方签字确认"]),
        T("billing-model", BILL, "计费模式（私有化授权 + 年度维保）", 3, "zhengli",
          watchouts=["定价已过价格委员会"]),
        T("contract", BILL, "商务合同与报价审批", 8, "zhengli", shared=True, deadline=3,
          watchouts=["折扣审批已通过", "合同已法务审核", "三方已盖章"]),
        T("billing-integration", BILL, "授权计量与账单核对", 5, "zhengli",
          watchouts=["授权数与合同一致"]),
        T("mlps", COMPL, "等保 2.0 三级测评配合与整改", 10, "songjia", shared=True,
          watchouts=["定级备案已完成", "整改项已闭环"]),
        T("data-compliance", COMPL, "数据安全与个人信息合规评估", 5, "zhaomin", shared=True,
          watchouts=["数据处理协议已签署", "数据不出行已确认"]),
        T("security-review", COMPL, "私有化版本安全评审与渗透测试", 5, "sunhao",
          watchouts=["高危漏洞已修复"]),
        T("compliance-passed", COMPL, "安全合规审核通过", 0, "zhaomin", milestone=True),
        T("go-no-go", LAUNCH, "上线评审（Go / No-Go）", 1, "zhangwei",
          watchouts=["回滚方案已演练", "值班表已发布"]),
        T("launch", LAUNCH, "正式上线", 0, "zhangwei", shared=True, milestone=True, deadline="launch",
          priority=20),
        T("first-delivery", LAUNCH, "首批业务系统纳管与验收", 10, "xubin", shared=True,
          watchouts=["交付验收单已签署"]),
        T("sla", OPS, "售后 SLA 与驻场交接（P1 故障 1 小时响应）", 3, "zhoulei", shared=True, offset=30,
          watchouts=["SLA 已写入合同", "升级路径已确认"]),
        T("customer-success", OPS, "季度服务报告与续费跟进", 20, "zhengli", shared=True,
          watchouts=["季度服务报告已发送"]),
        T("retrospective", OPS, "项目复盘", 2, "zhangwei",
          watchouts=["复盘结论已同步王总"]),
    ],
    # Planned exactly as the built-in toB checklist links its tasks.
    "links": list(TOB_LINKS),
}

MEDICAL_PLAN = {
    "name": "医疗影像云存储 · 区域远程会诊试点",
    "product": "医疗影像云存储方案",
    "scenario": "区域医疗影像协同",
    "shift": 8,  # started eight working days after the MTP plan
    "status": "active",
    "launch_buffer": 5,
    "summary": (
        "康影医疗基于本地存储网关、COS 与 CAS 建设区域影像云，在市第一人民医院医联体试点远程多学科会诊，"
        "影像热数据 90 天存 COS，之后转 CAS 归档长期保存。"
    ),
    "phases": [INTRO, DOCS, INTEG, TEST, BILL, COMPL, LAUNCH, OPS],
    "flows": [
        {
            "name": "远程影像会诊",
            "need": "医疗资源共享 / 多学科会诊：基层医院的影像可被异地专家随时调阅，开展多学科会诊（MDT）。",
            "features": (
                "本地存储网关就近缓存并加速上传；影像热数据存 COS 对象存储，冷数据归档到 CAS；"
                "觅影提供三维重建与 AI 辅助检出；专家在线调阅与出具会诊意见。"
            ),
            "lanes": [
                ("异地专家", "role"), ("患者", "role"), ("本地存储网关", "system"), ("云", "system"),
                ("CAS 归档存储", "system"), ("COS 对象存储", "system"), ("三维影像处理/觅影", "system"),
            ],
            "steps": [
                ("患者", "在基层医院完成 CT / MR 检查"),
                ("本地存储网关", "接收 PACS 推送的 DICOM 影像并本地缓存"),
                ("本地存储网关", "加密并断点续传上传到云"),
                ("云", "鉴权、建立影像索引并创建会诊单"),
                ("COS 对象存储", "保存近 90 天的热影像，供专家秒级调阅"),
                ("三维影像处理/觅影", "三维重建与 AI 辅助检出（肺结节等）"),
                ("异地专家", "调阅影像与三维模型，参与多学科会诊"),
                ("异地专家", "出具会诊意见并电子签名"),
                ("患者", "在手机上查看会诊报告与影像"),
                ("CAS 归档存储", "90 天后按生命周期规则归档，长期保存（≥ 15 年）"),
            ],
            "metrics": [
                ("本地存储网关 · 上传速度", "≥ 100", "MB/s"),
                ("本地存储网关 · 专线带宽", "≥ 200", "Mbps"),
                ("本地存储网关 · 本地缓存存储成本", "≤ 0.30", "元/GB/月"),
                ("COS · 数据持久性", "99.999999999", "%"),
                ("COS · 首字节延迟", "≤ 100", "ms"),
                ("COS · 标准存储成本", "≈ 0.12", "元/GB/月"),
                ("CAS · 数据持久性", "99.999999999", "%"),
                ("CAS · 服务可用性", "≥ 99.9", "%"),
                ("CAS · 归档存储成本", "≈ 0.033", "元/GB/月"),
            ],
        },
    ],
    "stakeholders": [
        {"key": "zhangwei", "relevance": 4, "influence": 4, "audience": "team", "capacity": 3,
         "concerns": "试点按期上线；存储成本可控", "modules": "全流程", "steps": [4], "internal_notes": ""},
        {"key": "fengxue", "relevance": 5, "influence": 3, "audience": "team", "capacity": 2,
         "concerns": "冷热分层方案；网关选型；觅影对接", "modules": "存储架构", "steps": [2, 3, 5, 10],
         "internal_notes": ""},
        {"key": "zhaomin", "relevance": 3, "influence": 4, "audience": "team",
         "concerns": "医疗数据不出境；病历保存期限；患者隐私", "modules": "合规", "steps": [9, 10],
         "internal_notes": "需确认卫健委对影像保存年限的最新要求。"},
        {"key": "tangning", "relevance": 5, "influence": 3, "audience": "partner", "capacity": 2,
         "concerns": "网关上传速度；DICOM 兼容性", "modules": "本地存储网关、PACS 对接", "steps": [2, 3, 4],
         "internal_notes": ""},
        {"key": "luowei", "relevance": 4, "influence": 2, "audience": "partner",
         "concerns": "专家调阅体验；手机端报告", "modules": "会诊平台", "steps": [7, 8, 9], "internal_notes": ""},
        {"key": "dengkai", "relevance": 2, "influence": 3, "audience": "partner",
         "concerns": "存储单价与年度预算", "modules": "商务", "steps": [], "internal_notes": ""},
        {"key": "pengyi", "relevance": 3, "influence": 5, "audience": "partner",
         "concerns": "调阅速度 ≤ 3 秒；会诊流程简单", "modules": "影像科", "steps": [1, 7, 8],
         "internal_notes": "试点成败的关键意见领袖。"},
    ],
    "tasks": [
        T("positioning", INTRO, "梳理区域影像云方案卖点与价格测算", 3, "fengxue", shared=True,
          watchouts=["COS / CAS 成本测算已完成"]),
        T("api-docs", DOCS, "网关部署与 COS / CAS 生命周期配置文档", 5, "fengxue", shared=True,
          watchouts=["生命周期规则示例已验证"]),
        T("gateway", INTEG, "部署本地存储网关并对接 PACS", 8, "tangning", shared=True, flow=True,
          watchouts=["DICOM 推送已验证", "专线带宽已确认"]),
        T("lifecycle", INTEG, "配置 COS 90 天转 CAS 生命周期规则", 2, "fengxue", shared=True, flow=True,
          watchouts=["取回时长已告知专家"]),
        T("miying", INTEG, "对接觅影三维重建与 AI 辅助检出", 6, "tangning", shared=True, flow=True,
          late=("in_progress", 30),
          watchouts=["觅影接口权限已开通", "三维重建样例已评审"]),
        T("joint-debug", TEST, "远程会诊端到端联调", 5, "luowei", shared=True, flow=True,
          watchouts=JOINT_DEBUG_WATCHOUTS),
        T("joint-debug-done", TEST, "联调完成", 0, "zhangwei", shared=True, milestone=True),
        T("pricing", BILL, "存储与调阅计费测算及报价", 3, "dengkai", shared=True,
          watchouts=["年度预算已确认"]),
        T("medical-compliance", COMPL, "医疗数据合规评估（数据不出境、保存期限）", 5, "zhaomin", shared=True,
          watchouts=["数据不出境已确认", "保存期限满足病历管理规定"]),
        T("launch", LAUNCH, "试点上线", 0, "zhangwei", shared=True, milestone=True, deadline="launch"),
        T("training", OPS, "影像科与专家使用培训", 2, "luowei", shared=True,
          watchouts=["培训签到表已归档"]),
    ],
    "links": [
        ("positioning", "api-docs", "SS", 1),
        ("api-docs", "gateway", "SS", 2),
        ("gateway", "lifecycle", "FF", 0),
        ("gateway", "miying", "SS", 3),
        ("gateway", "joint-debug", "FS", 0),
        ("miying", "joint-debug", "FS", -2),
        ("joint-debug", "joint-debug-done", "FS", 0),
        ("positioning", "pricing", "FS", 0),
        ("gateway", "medical-compliance", "SS", 0),
        ("joint-debug-done", "launch", "FS", 0),
        ("medical-compliance", "launch", "FS", 0),
        ("pricing", "launch", "FS", 0),
        ("launch", "training", "FS", -2),
    ],
}

PLANS = [MTP_PLAN, DSGC_PLAN, MEDICAL_PLAN]


# ---------------------------------------------------------------------------- the second team
OTHER_PRODUCT = {
    "name": "短信服务 SMS",
    "vendor_kind": "internal",
    "vendor_name": "腾讯云 · 通信产品中心",
    "category": "通信",
    "official_url": "https://cloud.tencent.com/product/sms",
    "api_docs_url": "https://cloud.tencent.com/document/product/382",
    "console_url": "https://console.cloud.tencent.com/smsv2",
    "description": "国内与国际短信：验证码、通知与营销短信，提供签名与模板审核、发送统计与回执。",
}
OTHER_SCENARIO = {
    "name": "连锁零售会员通知",
    "kind": "toB",
    "business_model": "连锁药房按短信条数付费，总部统一采购",
    "channel_chain": ["平台", "连锁总部", "门店", "会员"],
    "channel_development": "行业 ISV 集成进会员系统",
    "products_distributed": "短信服务 SMS",
    "business_model_notes": "营销短信需会员授权；节假日发送高峰",
    "pain_points": "模板审核慢；退订处理分散在门店",
    "service_strategy": "模板预审 + 统一退订",
    "contact": "行业云接入组 · 刘芳",
}
OTHER_STAKEHOLDERS = {
    "liufang": {"name": "刘芳", "organisation": _PLATFORM, "department": "行业云接入组", "side": "platform",
                "role": "产品经理（PM）", "email": "liufang@example.com", "phone": "", "account": "pm2"},
    "zhouqing": {"name": "周晴", "organisation": "百合大药房（示例）", "department": "会员中心", "side": "partner",
                 "role": "会员系统负责人", "email": "zhouqing@example.com", "phone": ""},
}
OTHER_PLAN = {
    "name": "短信服务 SMS · 百合大药房会员通知",
    "workspace": OTHER_TEAM,
    "owner": "pm2",
    "product": "短信服务 SMS",
    "scenario": "连锁零售会员通知",
    "status": "active",
    "shift": 14,  # started fourteen working days after the MTP plan: joint debugging is under way
    "launch_buffer": 3,
    "summary": "为连锁药房会员系统接入验证码与到店提醒短信，先在 20 家门店试点。",
    "flows": [],
    "phases": [DOCS, INTEG, TEST, LAUNCH],
    "stakeholders": [
        {"key": "liufang", "relevance": 5, "influence": 4, "audience": "team", "capacity": 2,
         "concerns": "试点门店按期上线", "modules": "全流程", "steps": [], "internal_notes": ""},
        {"key": "zhouqing", "relevance": 5, "influence": 3, "audience": "partner",
         "concerns": "模板审核时效；退订合规", "modules": "会员系统", "steps": [], "internal_notes": ""},
    ],
    "tasks": [
        T("sign", DOCS, "短信签名与模板报备", 3, "liufang", shared=True, watchouts=["签名资质已上传"]),
        T("api", INTEG, "会员系统对接短信 API", 5, "zhouqing", shared=True),
        T("joint-debug", TEST, "验证码与到店提醒联调", 3, "zhouqing", shared=True),
        T("launch", LAUNCH, "试点门店上线", 0, "liufang", shared=True, milestone=True, deadline="launch"),
    ],
    "links": [("sign", "api", "SS", 1), ("api", "joint-debug", "FS", 0), ("joint-debug", "launch", "FS", 0)],
}
