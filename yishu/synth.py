"""Synthetic catalogs at any scale, with planted defects whose ground truth is known.

``generate(out, scale, seed)`` writes the 8 CSV files of the catalog template and
``defects.json`` (same format as the demo district's) into ``out``. Scale 1 ("district") is
≈60 departments, ≈400 systems, ≈3,000 resources, ≈21,000 items — about 300k triples once
loaded; "city" is ten times that. The output depends only on (scale, seed): the same arguments
give byte-identical files.

Shapes follow the demo district and the seed documents: base databases (人口, 法人, 电子证照, 信用,
自然资源和空间地理) run by each district's 数据局 are hubs that take items from authoritative source
resources (some returned from the province or the state, 回流); departmental resources take items
from the hubs, from sources or from other departmental resources; thematic resources combine several
departments; flows carry resources between departments through the platforms; requests follow the
supply-demand workflow; responsibilities produce resources and need elements.

Apart from the planted defects the data is clean at Violation and Warning level under
docs/audit-rules.md, so an audit can be held to precision and recall 1.0. CAT-001 and LIN-002
cannot be expressed in one template load (the loader refuses empty required cells and dangling
references) and are therefore not planted; Info rules are advice, not ground truth.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from loaders.spec import FILES

__all__ = ["SCALES", "SynthReport", "parse_scale", "generate", "HEADERS", "AS_OF"]

SCALES = {"district": 1.0, "city": 10.0}
AS_OF = dt.date(2025, 11, 20)
PENDING_DAYS = 10
ZOMBIE_DAYS = 730

# The template's headers (loaders.spec), without the optional columns the generator leaves empty.
UNFILLED: dict[str, tuple[str, ...]] = {"resource": ("physicalDataset",)}  # kind -> fields
HEADERS: dict[str, list[str]] = {
    f.file: f.headers_without(*UNFILLED.get(f.kind, ())) for f in FILES}

# -- name pools -------------------------------------------------------------------------------
DISTRICTS = ["云溪区", "临江区", "青山区", "湖滨区", "东岚区", "南塘区", "北辰区", "西陵区", "江源区", "石港区",
             "白沙区", "金湾区", "清河区", "枫桥区", "望海区", "梅岭区", "凤栖区", "长汀区", "龙泉区", "平湖区"]
BUREAUS = [  # (name, type, short role)
    ("发展和改革委员会", "党政机关", "发改"), ("教育局", "党政机关", "教育"), ("科学技术局", "党政机关", "科技"),
    ("工业和信息化局", "党政机关", "工信"), ("公安分局", "垂直管理部门", "公安"), ("民政局", "党政机关", "民政"),
    ("司法局", "党政机关", "司法"), ("财政局", "党政机关", "财政"), ("人力资源和社会保障局", "党政机关", "人社"),
    ("自然资源和规划分局", "垂直管理部门", "自然资源"), ("生态环境分局", "垂直管理部门", "生态环境"),
    ("住房和城乡建设局", "党政机关", "住建"), ("交通运输局", "党政机关", "交通"), ("水利局", "党政机关", "水利"),
    ("农业农村局", "党政机关", "农业"), ("商务局", "党政机关", "商务"), ("文化广电和旅游局", "党政机关", "文旅"),
    ("卫生健康委员会", "党政机关", "卫健"), ("退役军人事务局", "党政机关", "退役军人"),
    ("应急管理局", "党政机关", "应急"), ("审计局", "党政机关", "审计"), ("市场监督管理局", "党政机关", "市场监管"),
    ("体育局", "党政机关", "体育"), ("统计局", "党政机关", "统计"), ("医疗保障局", "党政机关", "医保"),
    ("城市管理局", "党政机关", "城管"), ("行政审批局", "党政机关", "审批"), ("信访局", "党政机关", "信访"),
    ("税务局", "垂直管理部门", "税务"), ("残疾人联合会", "公共服务机构", "残联"), ("总工会", "公共服务机构", "工会"),
    ("妇女联合会", "公共服务机构", "妇联"), ("红十字会", "公共服务机构", "红会"), ("档案馆", "事业单位", "档案"),
    ("机关事务管理局", "党政机关", "机关事务"), ("公共资源交易中心", "事业单位", "公共资源交易"),
    ("消防救援大队", "垂直管理部门", "消防"), ("气象局", "垂直管理部门", "气象"), ("人民法院", "党政机关", "法院"),
    ("人民检察院", "党政机关", "检察"), ("融媒体中心", "事业单位", "融媒体"), ("供电公司", "企业", "供电"),
    ("自来水公司", "企业", "供水"), ("燃气有限公司", "企业", "燃气"), ("疾病预防控制中心", "事业单位", "疾控"),
]
TOWNS = ["城东街道", "城西街道", "滨江街道", "新城街道", "湖滨街道", "临湖镇", "青石镇", "白马镇", "双桥镇", "金沙镇",
         "石桥镇", "河口镇", "桃源镇", "花园街道", "东港街道"]
ZONES = ["高新技术产业开发区管理委员会", "经济开发区管理委员会"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉兰海燕文博晓东立新卫东春梅国强永强建华丽娟思远佳怡雅琴"
BUSINESS = ["食品经营", "排污", "危险化学品经营", "建筑施工", "养老机构", "道路运输", "特种设备", "药品经营", "医师执业",
            "教师资格", "律师执业", "社会团体", "民办学校", "林木采伐", "取水", "燃气经营", "户外广告", "渔业捕捞",
            "动物防疫", "消防安全检查", "房屋租赁", "劳务派遣", "人力资源服务", "旅行社", "出版物经营", "娱乐场所",
            "烟草专卖零售", "城市排水", "医疗机构执业", "护士执业", "公共场所卫生", "生活饮用水卫生", "放射诊疗",
            "职业病诊断", "粮食收购", "种子生产经营", "农药经营", "兽药经营", "水土保持", "河道采砂", "施工图审查",
            "商品房预售", "物业服务", "网约车经营", "机动车维修", "驾驶员培训", "港口经营", "安全生产", "应急预案备案",
            "残疾人辅助器具", "低收入人口认定", "特困供养", "临时救助", "慈善组织", "殡葬服务", "婚姻介绍", "就业见习",
            "职业技能鉴定", "工伤认定", "劳动仲裁", "征地补偿", "宅基地审批", "农房建设", "耕地保护", "公租房保障"]
ROLE_BUSINESS = {
    "公安": ["户籍管理", "居住证", "出入境证件", "机动车登记", "驾驶证", "治安管理", "流动人口", "犬类管理"],
    "省公安厅": ["户籍管理", "居民身份证", "出入境证件", "流动人口"],
    "民政": ["低收入人口认定", "特困供养", "临时救助", "慈善组织", "殡葬服务", "婚姻登记", "养老机构", "社会团体"],
    "省民政厅": ["婚姻登记", "社会组织", "区划地名"],
    "人社": ["就业见习", "职业技能鉴定", "工伤认定", "劳动仲裁", "人力资源服务", "劳务派遣", "社会保险登记"],
    "市场监管": ["食品经营", "特种设备", "药品经营", "市场主体登记", "计量器具", "广告监测", "产品质量抽检"],
    "国家市场监督管理总局": ["市场主体登记", "企业年报", "经营异常名录", "严重违法失信名单"],
    "卫健": ["医疗机构执业", "医师执业", "护士执业", "公共场所卫生", "生活饮用水卫生", "放射诊疗", "出生医学证明",
           "预防接种"],
    "住建": ["建筑施工", "商品房预售", "物业服务", "施工图审查", "公租房保障", "房屋租赁"],
    "交通": ["道路运输", "网约车经营", "机动车维修", "驾驶员培训", "港口经营"],
    "农业": ["种子生产经营", "农药经营", "兽药经营", "动物防疫", "渔业捕捞", "宅基地审批", "耕地保护"],
    "自然资源": ["征地补偿", "林木采伐", "不动产登记", "建设用地审批", "国土空间规划"],
    "生态环境": ["排污", "环境影响评价", "危险废物经营", "辐射安全"],
    "应急": ["安全生产", "危险化学品经营", "应急预案备案", "烟花爆竹经营"],
    "教育": ["民办学校", "教师资格", "学生资助", "学籍管理", "校外培训机构"],
    "水利": ["取水", "河道采砂", "水土保持", "防汛抗旱"],
    "文旅": ["旅行社", "娱乐场所", "出版物经营", "文物保护"],
    "城管": ["户外广告", "城市排水", "建筑垃圾处置", "市容环境"],
    "税务": ["发票管理", "税收征管", "纳税信用", "出口退税"],
    "医保": ["医保定点", "医疗救助", "医保结算", "长期护理保险"],
    "退役军人": ["优抚对象", "退役士兵安置", "优待证", "烈士褒扬"],
    "残联": ["残疾人辅助器具", "残疾人就业", "残疾人证", "残疾人康复"],
    "审批": ["电子证照", "政务服务办件", "投资项目审批", "联合验收"],
    "发改": ["固定资产投资项目", "价格监测", "公共信用", "粮食收购"],
    "财政": ["惠民惠农补贴", "政府采购", "非税收入"],
    "统计": ["统计调查", "经济普查", "名录库"],
    "司法": ["人民调解", "法律援助", "社区矫正", "律师执业"],
    "乡镇": ["村务公开", "农房建设", "网格事件", "人居环境整治"],
    "园区": ["企业服务", "惠企政策兑现", "项目建设", "园区安全"],
    "数据": ["数据共享", "数据治理", "公共数据开放"],
    "政府": ["督查督办", "政务公开", "议案提案办理"],
    "商务": ["对外贸易经营者备案", "成品油零售", "单用途预付卡", "再生资源回收"],
    "科技": ["高新技术企业认定", "科技项目", "科技型中小企业评价"],
    "工信": ["工业企业技术改造", "无线电台站", "专精特新企业认定"],
    "体育": ["体育场馆", "全民健身", "高危险性体育项目经营"],
    "审计": ["审计项目", "审计整改"], "信访": ["信访事项", "领导接访"],
    "工会": ["困难职工帮扶", "职工服务"], "妇联": ["妇女儿童维权", "家庭教育指导"],
    "红会": ["无偿献血", "应急救护培训"], "档案": ["档案查阅", "档案接收"],
    "机关事务": ["公务用车", "公共机构节能"], "公共资源交易": ["招标投标", "政府采购项目"],
    "消防": ["消防安全检查", "火灾隐患整改"], "气象": ["气象灾害预警", "防雷装置检测"],
    "法院": ["执行案件", "失信被执行人"], "检察": ["公益诉讼", "法律监督"],
    "融媒体": ["新闻发布", "舆情监测"], "供电": ["用电户", "电费缴纳"], "供水": ["用水户", "水费缴纳"],
    "燃气": ["燃气用户", "燃气安全检查"], "疾控": ["传染病报告", "慢性病监测"],
}
RESP_SUFFIX = {"行政许可": "许可", "行政处罚": "违法行为处罚", "行政检查": "监督检查", "行政确认": "认定",
               "行政给付": "补贴发放", "公共服务": "服务", "行政征收": "费用征收", "其他行政权力": "备案"}
NOUNS = ["许可证编号", "登记证号", "备案编号", "证书编号", "核验结果", "信用等级", "认定结论", "检查结果代码"]
PLAIN = [("办理日期", "日期型", 8), ("办理状态", "字符型", 10), ("经办机构", "字符型", 100), ("备注", "字符型", 500),
         ("申请日期", "日期型", 8), ("审批结果", "字符型", 20), ("有效期至", "日期型", 8), ("金额", "数值型", 14),
         ("数量", "数值型", 10), ("地址", "字符型", 200), ("更新时间", "日期时间型", 14), ("业务类型", "字符型", 50),
         ("所属网格", "字符型", 50), ("项目名称", "字符型", 200), ("机构名称", "字符型", 200), ("检查日期", "日期型", 8),
         ("等级", "字符型", 10), ("面积", "数值型", 12), ("类别", "字符型", 50), ("发放月份", "字符型", 6),
         ("批准文号", "字符型", 50), ("联系人", "字符型", 50), ("经度", "数值型", 12), ("纬度", "数值型", 12),
         ("事项名称", "字符型", 200), ("处理意见", "字符型", 500), ("统计口径", "字符型", 50), ("数据来源", "字符型", 50),
         ("整改期限", "日期型", 8), ("处置结果", "字符型", 100)]
KINDS = ["信息", "登记信息", "许可信息", "监管信息", "台账", "名录", "核查信息", "补贴发放信息", "档案", "统计信息"]
SCENARIOS = ["政务服务“免证办”", "社会救助审核", "信用分级分类监管", "精准惠企", "一网统管", "入学资格审核",
             "跨部门联合监管", "民生补贴发放", "城市运行监测", "一件事一次办", "基层治理", "应急指挥"]
LEGAL = ["《中华人民共和国行政许可法》", "《优化营商环境条例》", "《社会救助暂行办法》", "《政务数据共享条例》",
         "《中华人民共和国安全生产法》", "《中华人民共和国食品安全法》", "《中华人民共和国社会保险法》",
         "《中华人民共和国行政处罚法》", "《江东省公共数据管理办法》", "《国务院关于在线政务服务的若干规定》"]
REJECT = ["申请用途与资源使用范围不符，请补充法定职责依据", "该资源为不予共享资源，请改为申请核验接口",
          "超出最小必要范围，请缩减申请的信息项", "申请部门未完成数据安全承诺书签署", "需求已由已有接口满足，请复用既有授权"]
CONDITIONS = ["限履行法定职责使用，经提供部门审核后按接口授权调用", "涉及个人信息，需提供法定依据并按最小必要原则使用",
              "限政务服务和行政管理使用，不得向第三方提供", "经数据主管部门审核同意后共享"]
NONSHARE = ["《中华人民共和国个人信息保护法》第二十八条", "《中华人民共和国税收征收管理法》第八条",
            "《中华人民共和国保守国家秘密法》第三十条", "《医疗机构病历管理规定》第六条"]
RESP_TYPES = ["行政许可", "行政处罚", "行政检查", "行政确认", "行政给付", "公共服务", "行政征收", "其他行政权力"]
FREQS = ["实时", "每日", "每周", "每月", "每季度", "每半年", "每年", "不定期"]
METHODS = ["接口调用", "库表交换", "文件下载"]

# core elements: name, synonyms, standard, base database, type, length
CORE = [
    ("公民身份号码", "身份证号;身份证号码;证件号码", "GB 11643-1999", "人口", "字符型", 18),
    ("姓名", "名字;人员姓名", "GA/T 2000.1-2015", "人口", "字符型", 50),
    ("性别", "性别代码", "GB/T 2261.1-2003", "人口", "字符型", 1),
    ("出生日期", "出生年月日", "GB/T 7408.1-2023", "人口", "日期型", 8),
    ("民族", "民族代码", "GB/T 3304-1991", "人口", "字符型", 2),
    ("户籍地址", "户籍所在地", "GA 214.12-2004", "人口", "字符型", 200),
    ("统一社会信用代码", "信用代码;社会信用代码", "GB 32100-2015", "法人", "字符型", 18),
    ("企业名称", "市场主体名称;单位名称", "《企业名称登记管理规定》", "法人", "字符型", 200),
    ("法定代表人", "法人代表", "《市场主体登记管理条例》", "法人", "字符型", 50),
    ("成立日期", "注册日期", "GB/T 7408.1-2023", "法人", "日期型", 8),
    ("注册资本", "注册资金", "《市场主体登记管理条例》", "法人", "数值型", 20),
    ("电子证照标识", "证照标识码", "GB/T 36901-2018", "电子证照", "字符型", 64),
    ("证照类型代码", "证照类型", "GB/T 36903-2018", "电子证照", "字符型", 20),
    ("公共信用综合评价等级", "信用评价等级", "《江东省公共信用信息管理条例》", "信用", "字符型", 2),
    ("行政处罚决定书文号", "处罚文书号", "《中华人民共和国行政处罚法》", "信用", "字符型", 50),
    ("不动产单元号", "不动产单元代码", "GB/T 37346-2019", "自然资源和空间地理", "字符型", 28),
    ("宗地代码", "宗地号", "GB/T 13923-2022", "自然资源和空间地理", "字符型", 19),
    ("不动产权证书号", "不动产证号;房产证号", "《不动产登记暂行条例实施细则》", "自然资源和空间地理", "字符型", 40),
]
BASES = ["人口", "法人", "电子证照", "信用", "自然资源和空间地理"]
BASE_NAMES = {"人口": "人口综合库", "法人": "法人综合库", "电子证照": "电子证照库", "信用": "公共信用信息库",
              "自然资源和空间地理": "自然资源和空间地理基础库"}
# base -> (provider role, source resource name, source level)
BASE_SOURCE = {"人口": ("省公安厅", "户籍人口基础信息（省级回流）", 3),
               "法人": ("国家市场监督管理总局", "市场主体登记信息（国家回流）", 2),
               "电子证照": ("审批", "电子证照归集信息", 2),
               "信用": ("发改", "公共信用评价信息", 2),
               "自然资源和空间地理": ("自然资源", "不动产登记信息", 3)}
LV_NAME = {1: "一级", 2: "二级", 3: "三级", 4: "四级"}
LV = {v: k for k, v in LV_NAME.items()}


def parse_scale(text: str | float) -> float:
    """``district`` → 1, ``city`` → 10, else a positive number (``0.05``, ``3``)."""
    if isinstance(text, (int, float)):
        value = float(text)
    elif text in SCALES:
        value = SCALES[text]
    else:
        try:
            value = float(text)
        except ValueError:
            raise ValueError(f"规模应为 district、city 或正数 / scale must be district, city or a "
                             f"positive number: {text!r}") from None
    if not (value > 0 and math.isfinite(value)):
        raise ValueError(f"规模应为正数 / scale must be positive: {text!r}")
    return value


@dataclass
class SynthReport:
    out: Path
    scale: float
    seed: int
    rows: dict[str, int] = field(default_factory=dict)
    defects: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


@dataclass
class _Item:
    res: str
    name: str
    de: str = ""
    typ: str = "字符型"
    length: int = 50
    auth: bool = False
    src: str = ""
    up: int = -1  # index of the upstream item (generator bookkeeping)
    lvl: int = 0  # own classification (0: none)
    used: int = 0  # how many items take from this one


@dataclass
class _Res:
    code: str
    name: str
    provider: str
    system: str
    category: str
    base: str
    level: int
    scenario: str
    platform: str = "区县级平台"
    stype: str = "有条件共享"
    cond: str = ""
    basis: str = ""
    method: str = "接口调用"
    freq: str = "每日"
    secret: bool = False
    issued: str = ""
    up: list[str] = field(default_factory=list)
    items: list[int] = field(default_factory=list)
    elems: dict[str, int] = field(default_factory=dict)  # element -> item index
    names: set[str] = field(default_factory=set)
    anc: int = 0  # highest classification among all upstream resources


class _Gen:
    def __init__(self, scale: float, seed: int, progress: Callable[[int], None] | None):
        self.s = scale
        self.r = random.Random(seed)
        self.tick = progress or (lambda n: None)
        self.deps: list[list[str]] = []
        self.dep_role: dict[str, str] = {}
        self.dep_district: dict[str, int] = {}
        self.district_deps: list[list[str]] = []
        self.hub: list[str] = []
        self.elements: dict[str, list[str]] = {}  # code -> row
        self.el_type: dict[str, tuple[str, int]] = {}
        self.systems: dict[str, list[str]] = {}
        self.dep_systems: dict[str, list[str]] = {}
        self.res: dict[str, _Res] = {}
        self.items: list[_Item] = []
        self.resp: list[list[str]] = []
        self.reqs: list[list[str]] = []
        self.flows: list[list[str]] = []
        self.defects: list[dict[str, str]] = []
        self.touched: set[str] = set()
        self.k = 1
        self.el_names: set[str] = set()
        self.req: list[int] = []
        self.n = {"res": 0, "sys": 0, "el": 0, "req": 0, "flow": 0, "resp": 0}

    # -- helpers ----------------------------------------------------------------------
    def person(self) -> str:
        r = self.r
        g = GIVEN[r.randrange(len(GIVEN))] + (GIVEN[r.randrange(len(GIVEN))] if r.random() < .7 else "")
        return SURNAMES[r.randrange(len(SURNAMES))] + g

    def date(self, lo: dt.date, hi: dt.date) -> dt.date:
        return lo + dt.timedelta(days=self.r.randrange(max(1, (hi - lo).days)))

    def business(self, dep: str) -> str:
        """A line of business of the department (its role's pool, else the general one)."""
        return self.r.choice(ROLE_BUSINESS.get(self.dep_role.get(dep, ""), BUSINESS))

    def element_name(self, dep: str) -> tuple[str, str]:
        """A new element name for the department, and the line of business it belongs to."""
        for _ in range(8):
            biz = self.business(dep)
            name = f"{biz}{self.r.choice(NOUNS)}"
            if name not in self.el_names:
                break
        else:
            name = f"{name}（{len(self.el_names) + 1}）"
        self.el_names.add(name)
        return name, biz

    def next(self, kind: str) -> int:
        self.n[kind] += 1
        return self.n[kind]

    def plant(self, rule: str, focus: str, zh: str, en: str) -> None:
        self.defects.append({"rule": rule, "focus": focus, "note": f"{zh} / {en}"})
        self.touched.add(focus)

    # -- departments ----------------------------------------------------------------------
    def departments(self) -> None:
        r = self.r
        n_dep = max(10, round(60 * self.s))
        n_dist = max(1, min(len(DISTRICTS), round(self.s)))
        upper = [("JD-GAT", "江东省公安厅", "省级", "省公安厅"), ("JD-MZT", "江东省民政厅", "省级", "省民政厅"),
                 ("GJ-SCJG", "国家市场监督管理总局", "国家级", "国家市场监督管理总局")]
        for code, name, lvl, role in upper:
            area = "010" if code.startswith("GJ") else "025"
            self.deps.append([code, name, "", lvl, "", "党政机关", "", self.person(), self.person(),
                              f"{area}-8{r.randrange(1000000, 9999999)}"])
            self.dep_role[code] = role
            self.dep_district[code] = -1
        per = [n_dep // n_dist + (1 if i < n_dep % n_dist else 0) for i in range(n_dist)]
        for d in range(n_dist):
            region = f"3206{15 + d:02d}"
            dname = DISTRICTS[d]
            codes: list[str] = []
            n_towns = max(2, per[d] // 8)
            n_zones = 1 if per[d] >= 20 else 0
            n_bureaus = max(1, per[d] - 2 - n_towns - n_zones)
            units = [(f"{dname}人民政府", "党政机关", "政府", ""), (f"{dname}数据局", "党政机关", "数据", "gov")]
            for i in range(n_bureaus):
                b = BUREAUS[i % len(BUREAUS)]
                suffix = "" if i < len(BUREAUS) else f"（第{i // len(BUREAUS) + 1}分局）"
                units.append((f"{dname}{b[0]}{suffix}", b[1], b[2], "gov" if b[1] != "垂直管理部门" else ""))
            for i in range(n_zones):
                units.append((f"{dname}{ZONES[i % len(ZONES)]}", "功能区管委会", "园区", "gov"))
            for i in range(n_towns):
                t = TOWNS[i % len(TOWNS)]
                suffix = "" if i < len(TOWNS) else f"{i // len(TOWNS) + 1}"
                units.append((f"{dname}{t}{suffix}", "乡镇街道", "乡镇", "gov"))
            for i, (name, typ, role, parent) in enumerate(units[:per[d]]):
                code = f"11{region}MB{i:04d}"
                lvl = "乡镇街道" if typ == "乡镇街道" else "区县级"
                cdo = self.person() if lvl == "区县级" and r.random() < .6 else ""
                self.deps.append([code, name, codes[0] if parent and codes else "", lvl, region, typ, cdo,
                                  self.person(), self.person(),
                                  f"0515-8{r.randrange(1000000, 9999999)}"])
                self.dep_role[code] = role
                self.dep_district[code] = d
                codes.append(code)
            self.district_deps.append(codes)
            self.hub.append(codes[1])

    def role_dep(self, role: str, district: int) -> str:
        for code in self.district_deps[district]:
            if self.dep_role[code] == role:
                return code
        return self.district_deps[district][min(2, len(self.district_deps[district]) - 1)]

    # -- systems --------------------------------------------------------------------------
    def new_system(self, owner: str, name: str, *, secret: bool = False, status: str = "在用") -> str:
        r = self.r
        code = f"XT-{self.next('sys'):06d}"
        upper = r.random() < .25 and not secret
        deploy = "自建机房" if secret else ("上级部署" if upper else "政务云")
        net = "电子政务内网" if secret else ("业务专网" if upper and r.random() < .6 else "电子政务外网")
        last = self.date(AS_OF - dt.timedelta(days=600), AS_OF)
        usage = r.choice(["每日", "每日", "每日", "每周", "每月"])
        if status != "在用":
            deploy = r.choice(["自建机房", "政务云"])
            last = self.date(dt.date(2019, 1, 1), dt.date(2023, 6, 30))
            usage = r.choice(["很少", "每月"])
        row = [code, name, owner, f"{name}业务办理与数据管理", r.choice(["本部门", "跨部门", "全区域", "面向公众"]),
               usage, self.hub[self.dep_district[owner]] if self.dep_district[owner] >= 0 else "",
               self.date(dt.date(2012, 1, 1), dt.date(2024, 12, 31)).isoformat(),
               r.choice(["财政资金", "财政资金", "上级资金", "自筹资金"]), deploy, net,
               "未定级" if secret else r.choice(["二级", "二级", "三级", "一级"]), "是" if secret else "否",
               status, "是" if status == "在用" else "否", last.isoformat(), ""]
        self.systems[code] = row
        if status == "在用" and not secret:
            self.dep_systems.setdefault(owner, []).append(code)
        return code

    def make_systems(self) -> None:
        r = self.r
        n_sys = max(12, round(400 * self.s))
        deps = [d[0] for d in self.deps]
        for i in range(n_sys):
            owner = deps[i % len(deps)] if i < len(deps) else r.choice(deps)
            name = f"{self.dep_name(owner).split('区', 1)[-1]}{self.business(owner)}管理系统"
            self.new_system(owner, name)
        # merged and retired systems (legitimately not in use)
        for _ in range(max(2, round(20 * self.s))):
            owner = r.choice(deps)
            code = self.new_system(owner, f"{self.business(owner)}信息系统（旧）", status="已整合")
            target = r.choice(self.dep_systems.get(owner) or sorted(self.systems)[:1])
            self.systems[code][16] = target
        for _ in range(max(1, round(10 * self.s))):
            owner = r.choice(deps)
            self.new_system(owner, f"{self.business(owner)}台账系统", status="停用")

    def dep_name(self, code: str) -> str:
        for d in self.deps:
            if d[0] == code:
                return d[1]
        raise KeyError(code)

    def system_of(self, dep: str) -> str:
        systems = self.dep_systems.get(dep)
        if not systems:
            systems = self.dep_systems[dep] = [self.new_system(dep, f"{self.dep_name(dep)}业务系统")]
        return self.r.choice(systems)

    # -- elements and resources -----------------------------------------------------------
    def new_element(self, name: str, syn: str, std: str, auth: str, typ: str, length: int) -> str:
        code = f"DE-{self.next('el'):06d}"
        self.elements[code] = [code, name, syn, std, auth]
        self.el_type[code] = (typ, length)
        return code

    def new_res(self, name: str, provider: str, category: str, level: int, *, base: str = "",
                scenario: str = "", system: str = "") -> _Res:
        r = self.r
        code = f"ZY-{self.next('res'):07d}"
        res = _Res(code, name, provider, system or self.system_of(provider), category, base, level,
                   scenario or r.choice(SCENARIOS))
        res.freq = r.choice(FREQS)
        res.method = r.choice(METHODS)
        res.issued = self.date(dt.date(2021, 1, 1), AS_OF - dt.timedelta(days=30)).isoformat()
        self.res[code] = res
        self.tick(1)
        return res

    def add_item(self, res: _Res, name: str, *, de: str = "", auth: bool = False, src: int = -1,
                 typ: str = "字符型", length: int = 50) -> int | None:
        if name in res.names or (de and de in res.elems):
            return None
        if de:
            typ, length = self.el_type[de]
        it = _Item(res.code, name, de, typ, length, auth)
        if src >= 0:
            up = self.items[src]
            it.src, it.up = up.res, src
            up.used += 1
            it.typ, it.length = up.typ, up.length
        idx = len(self.items)
        self.items.append(it)
        res.items.append(idx)
        res.names.add(name)
        if de:
            res.elems[de] = idx
        return idx

    def add_plain(self, res: _Res, n: int) -> None:
        for name, typ, length in self.r.sample(PLAIN, n):
            self.add_item(res, name, typ=typ, length=length)

    def take(self, res: _Res, upstream: _Res, n_el: int, n_plain: int = 0) -> None:
        """Take up to ``n_el`` element items and ``n_plain`` plain items from ``upstream``."""
        r = self.r
        els = list(upstream.elems.items())
        r.shuffle(els)
        took = False
        for de, idx in els[:n_el]:
            name = self.items[idx].name if r.random() < .6 else self.alias(de)
            took |= self.add_item(res, name, de=de, src=idx) is not None
        plain = [i for i in upstream.items if not self.items[i].de]
        r.shuffle(plain)
        for idx in plain[:n_plain]:
            took |= self.add_item(res, self.items[idx].name, src=idx) is not None
        if took and upstream.code not in res.up:
            res.up.append(upstream.code)
            res.anc = max(res.anc, upstream.level, upstream.anc)

    def alias(self, de: str) -> str:
        row = self.elements[de]
        syns = [s for s in row[2].split(";") if s]
        prefix = self.r.choice(["", "", "申请人", "当事人", "权利人", "经办", "主体"])
        return prefix + (self.r.choice(syns) if syns and self.r.random() < .5 else row[1])

    def level_for(self, res: _Res, draw: int) -> None:
        res.level = max(draw, res.anc if res.anc >= 3 else 0)

    def resources(self) -> None:
        r = self.r
        s = self.s
        n_res = max(60, round(3150 * s))
        n_dist = len(self.district_deps)
        # core sources (one per base database) and their elements
        core_src: dict[str, _Res] = {}
        for base in BASES:
            role, name, level = BASE_SOURCE[base]
            provider = next((c for c, rl in self.dep_role.items() if rl == role), None) \
                or self.role_dep(role, 0)
            if provider in ("JD-GAT", "GJ-SCJG"):
                system = self.new_system(provider, f"{self.dep_name(provider)}{base}基础信息系统")
            else:
                system = ""
            src = self.new_res(name, provider, "基础信息资源" if provider.startswith(("JD", "GJ"))
                               else "部门信息资源", level, base=base if provider.startswith(("JD", "GJ"))
                               else "", system=system)
            if provider.startswith("JD"):
                src.platform = "省级平台"
            elif provider.startswith("GJ"):
                src.platform = "国家平台"
            for name_, syn, std, b, typ, length in CORE:
                if b == base:
                    de = self.new_element(name_, syn, std, provider, typ, length)
                    self.add_item(src, name_, de=de, auth=True)
            self.add_plain(src, 2)
            core_src[base] = src
        # business elements, authoritative in departmental source resources
        n_el = max(20, round(270 * s))
        deps_all = [c for c in self.dep_role if self.dep_district[c] >= 0]
        sources: list[_Res] = []
        el_i = 0
        while el_i < n_el:
            prov = r.choice(deps_all)
            b = self.business(prov)
            res = self.new_res(f"{b}{r.choice(KINDS)}", prov, "部门信息资源",
                               r.choice([1, 2, 2, 2, 3, 3, 4]))
            for _ in range(r.randint(1, 3)):
                name, biz = self.element_name(prov)
                syn = name.replace("编号", "号").replace("证号", "证编号") if "号" in name else ""
                de = self.new_element(name, syn if syn != name else "", f"《{biz}管理办法》", prov,
                                      "字符型", 30)
                self.add_item(res, name, de=de, auth=True)
                el_i += 1
            self.add_plain(res, r.randint(2, 4))
            sources.append(res)
        # base databases: one set per district, hubs run by the district's 数据局
        bases: list[dict[str, _Res]] = []
        for d in range(n_dist):
            per: dict[str, _Res] = {}
            for base in BASES:
                b = self.new_res(BASE_NAMES[base] if n_dist == 1 else f"{DISTRICTS[d]}{BASE_NAMES[base]}",
                                 self.hub[d], "基础信息资源", 2, base=base, scenario="身份核验、主体核验、免证办")
                self.take(b, core_src[base], 99, 1)
                for extra in r.sample(sources, min(len(sources), 2)):
                    self.take(b, extra, 2)
                self.level_for(b, 2)
                per[base] = b
            bases.append(per)
        # departmental resources: from hubs, sources, and earlier departmental resources
        dept_res: list[_Res] = []
        n_them = max(3, round(n_res * .05))
        n_dept = max(10, n_res - len(self.res) - n_them - max(2, round(5 * s)))
        for _ in range(n_dept):
            prov = r.choice(deps_all)
            d = self.dep_district[prov]
            res = self.new_res(f"{self.business(prov)}{r.choice(KINDS)}", prov, "部门信息资源", 0)
            hub = bases[d]
            picks = r.sample(BASES, r.choice([1, 1, 2]))
            for base in picks:
                self.take(res, hub[base], r.randint(1, 3), r.choice([0, 0, 1]))
            roll = r.random()
            if roll < .35 and sources:
                self.take(res, r.choice(sources), r.randint(1, 2))
            elif roll < .6 and dept_res:
                self.take(res, r.choice(dept_res[-400:]), r.randint(1, 2), r.choice([0, 1]))
            if r.random() < .12:  # a department's own authoritative data
                name, biz = self.element_name(prov)
                el_i += 1
                de = self.new_element(name, "", f"《{biz}管理办法》", prov, "字符型", 30)
                self.add_item(res, name, de=de, auth=True)
            self.add_plain(res, r.randint(1, 4))
            self.level_for(res, r.choice([1, 2, 2, 3]))
            dept_res.append(res)
        # thematic resources combine several departments
        them: list[_Res] = []
        for _ in range(n_them):
            d = r.randrange(n_dist)
            res = self.new_res(f"{r.choice(SCENARIOS)}主题库", self.hub[d], "主题信息资源", 0)
            pool = them[-50:] if them and r.random() < .3 else dept_res
            for up in r.sample(pool, min(len(pool), r.randint(2, 4))):
                self.take(res, up, 2, 1)
            self.add_plain(res, 1)
            self.level_for(res, r.choice([2, 3]))
            them.append(res)
        self.core_src, self.sources, self.bases, self.dept_res = core_src, sources, bases, dept_res
        # classified (涉密) resources on classified systems: legit, never via a platform
        self.secret_systems = []
        for _ in range(max(1, round(3 * s)) + self.k):
            owner = r.choice(deps_all)
            self.secret_systems.append(self.new_system(owner, f"{self.dep_name(owner)}涉密业务系统",
                                                       secret=True))
        self.secret_res = []
        for sysc in self.secret_systems[:max(1, round(3 * s))]:
            owner = self.systems[sysc][2]
            res = self.new_res("涉密文电登记信息", owner, "部门信息资源", 4, system=sysc)
            res.secret = True
            self.add_plain(res, 3)
            self.secret_res.append(res)

    def finish_levels(self) -> None:
        """Item-level classification where an item carries data stricter than its resource,
        then sharing types consistent with the classification."""
        r = self.r
        items = self.items
        req = [0] * len(items)
        for i, it in enumerate(items):  # upstream items always come first
            if it.up >= 0:
                u = items[it.up]
                ulvl = u.lvl or self.res[u.res].level
                req[i] = max(req[it.up], ulvl if ulvl >= 3 else 0)
                eff = it.lvl or self.res[it.res].level
                if req[i] >= 3 and eff < req[i]:
                    it.lvl = req[i]
        self.req = req
        for res in self.res.values():
            if res.secret:
                res.stype, res.basis, res.platform, res.method = ("不予共享", NONSHARE[2], "", "库表交换")
                continue
            strict = res.level >= 3 or any(items[i].lvl >= 3 for i in res.items)
            roll = r.random()
            if strict:
                res.stype = "不予共享" if roll < .08 else "有条件共享"
            else:
                res.stype = "无条件共享" if roll < .5 else ("不予共享" if roll < .54 else "有条件共享")
            if res.stype == "有条件共享":
                res.cond = r.choice(CONDITIONS)
            elif res.stype == "不予共享":
                res.basis = r.choice(NONSHARE[:2] + NONSHARE[3:])

    # -- responsibilities, requests, flows --------------------------------------------------
    def responsibilities(self) -> None:
        r = self.r
        by_dep: dict[str, list[str]] = {}
        for res in self.res.values():
            if not res.secret:
                by_dep.setdefault(res.provider, []).append(res.code)
        els = list(self.elements)
        for dep, codes in by_dep.items():
            for _ in range(max(1, len(codes) // 4)):
                produced = r.sample(codes, min(len(codes), r.randint(1, 3)))
                needs = sorted({e for c in produced for e in self.res[c].elems} | set(r.sample(els, 1)))
                code = f"QZ-{self.next('resp'):06d}"
                t = r.choice(RESP_TYPES)
                self.resp.append([code, f"{self.business(dep)}{RESP_SUFFIX[t]}", t, dep, r.choice(LEGAL),
                                  ";".join(produced), ";".join(needs[:5])])

    def requests(self) -> None:
        r = self.r
        deps = [d[0] for d in self.deps if d[3] in ("区县级", "乡镇街道")]
        res_codes = [c for c, x in self.res.items() if not x.secret]
        n_req = max(20, round(2000 * self.s))
        start = dt.datetime(2024, 1, 1, 8, 0)
        span = int((dt.datetime.combine(AS_OF, dt.time()) - start).total_seconds()) - 15 * 86400
        for _ in range(n_req):
            code = f"XQ-{self.next('req'):07d}"
            dep = r.choice(deps)
            res = self.res[r.choice(res_codes)]
            roll = r.random()
            status = ("已交付" if roll < .7 else "已批准" if roll < .8 else "已拒绝" if roll < .88
                      else "已撤回" if roll < .93 else "待审核")
            if res.stype == "不予共享" and status in ("已交付", "已批准"):
                status = "已拒绝"
            if status == "待审核":
                filed = dt.datetime.combine(AS_OF, dt.time(9)) - dt.timedelta(
                    seconds=r.randrange(86400, 6 * 86400))
            else:
                filed = start + dt.timedelta(seconds=r.randrange(span))
            answer = ""
            if status in ("已交付", "已批准", "已拒绝"):
                q = r.random()
                delay = r.randint(5, 59) if q < .6 else r.randint(60, 86400) if q < .85 \
                    else r.randint(86400, 5 * 86400)
                answer = (filed + dt.timedelta(seconds=delay)).isoformat() + "+08:00"
            reason = r.choice(REJECT) if status == "已拒绝" else ""
            method = res.method if status in ("已交付", "已批准") else ""
            sat = str(r.randint(3, 5)) if status == "已交付" else ""
            self.reqs.append([code, dep, self.system_of(dep), res.code, f"{res.scenario}数据需求",
                              r.choice(LEGAL), filed.isoformat() + "+08:00", status, answer, reason, method,
                              sat])

    def new_flow(self, src: _Res, target_dep: str, target_res: str, *, platform: str,
                 back: bool = False) -> list[str]:
        r = self.r
        row = [f"LX-{self.next('flow'):07d}", src.code, src.system, target_dep,
               self.system_of(target_dep), target_res,
               platform, src.method, src.freq or "每日", "是" if back else "否",
               str(r.choice([1, 4, 30, 30, r.randint(100, 200000)]))]
        self.flows.append(row)
        return row

    def make_flows(self) -> None:
        r = self.r
        n_flow = max(20, round(1500 * self.s))
        for d, per in enumerate(self.bases):  # 回流 into every district's base databases
            for base, b in per.items():
                src = self.core_src[base]
                if src.provider.startswith(("JD", "GJ")):
                    self.new_flow(src, self.hub[d], b.code, platform=src.platform, back=True)
        edges = [(up, res.code) for res in self.res.values() for up in res.up
                 if self.res[up].provider != res.provider]
        r.shuffle(edges)
        for up, down in edges[:n_flow]:
            self.new_flow(self.res[up], self.res[down].provider, down, platform="区县级平台")
        self.secret_flows = []
        for res in self.secret_res:
            for _ in range(2):
                target = r.choice(self.district_deps[max(0, self.dep_district[res.provider])])
                self.secret_flows.append(self.new_flow(res, target, "", platform=""))

    # -- planting ---------------------------------------------------------------------------
    def pick(self, pool: list, n: int) -> list:
        pool = [p for p in pool if self.key(p) not in self.touched]
        chosen = self.r.sample(pool, min(n, len(pool)))
        for c in chosen:
            self.touched.add(self.key(c))
        return chosen

    @staticmethod
    def key(obj) -> str:
        if isinstance(obj, _Res):
            return f"resource:{obj.code}"
        if isinstance(obj, int):
            return f"itemidx:{obj}"
        return f"row:{obj[0]}"

    def plant_all(self) -> None:
        r, k, items = self.r, self.k, self.items
        ordinary = [x for x in self.res.values() if not x.secret]
        # CAT-002, CAT-005, SHR-001, SHR-002, SHR-003
        for res in self.pick(ordinary, k):
            res.freq = ""
            self.plant("CAT-002", f"resource:{res.code}", "未填写更新周期", "no update frequency")
        for res in self.pick(ordinary, k):
            res.system = ""
            self.plant("CAT-005", f"resource:{res.code}", "未填写来源系统", "no source system")
        for res in self.pick([x for x in ordinary if x.stype == "有条件共享"], k):
            res.cond = ""
            self.plant("SHR-001", f"resource:{res.code}", "有条件共享但未填写共享条件",
                       "shared on conditions but names none")
        for res in self.pick([x for x in ordinary if x.stype == "不予共享"], k):
            res.basis = ""
            self.plant("SHR-002", f"resource:{res.code}", "不予共享但未填写不予共享依据",
                       "not shared but gives no legal basis")
        for res in self.pick([x for x in ordinary if x.stype == "有条件共享" and x.level >= 3], k):
            res.stype, res.cond = "无条件共享", ""
            self.plant("SHR-003", f"resource:{res.code}",
                       f"敏感级别为{LV_NAME[res.level]}却无条件共享", "level 3/4 data shared unconditionally")
        # CAT-003: a source resource (no upstream, no taken items) without classification
        # (level 二级 or lower never raised anyone's classification, so leaving it out changes
        # no other finding)
        cands = [x for x in ordinary if not x.up and x.items and x.level <= 2 and all(
            items[i].up < 0 and not items[i].lvl for i in x.items)]
        chosen = self.pick(cands, k)
        while len(chosen) < k:
            prov = r.choice([c for c in self.dep_role if self.dep_district[c] >= 0])
            res = self.new_res(f"{self.business(prov)}{r.choice(KINDS)}", prov, "部门信息资源", 2)
            res.stype, res.cond = "有条件共享", r.choice(CONDITIONS)
            self.add_plain(res, 3)
            chosen.append(res)
        for res in chosen:
            res.level = 0
            self.plant("CAT-003", f"resource:{res.code}", "未填写敏感级别", "no classification level")
        # SEC-003, resource level: derived from 三级/四级 data but classified 二级
        cands = [x for x in ordinary if x.anc >= 3 and x.level >= 3 and x.stype != "无条件共享"]
        for res in self.pick(cands, k):
            old = res.level
            for i in res.items:
                if not items[i].lvl:
                    items[i].lvl = old
            res.level = 2
            self.plant("SEC-003", f"resource:{res.code}",
                       f"由{LV_NAME[res.anc]}资源加工而来，却定为二级", "derived from level 3/4 data, "
                       "classified level 2")
        # SEC-003, item level: own level 二级 below its upstream data
        cands = [i for i, it in enumerate(items) if self.req[i] >= 3 and not it.lvl
                 and f"resource:{it.res}" not in self.touched and not it.auth]
        for i in self.pick(cands, k):
            items[i].lvl = 2
            it = items[i]
            self.plant("SEC-003", f"item:{it.res}/{it.name}", "信息项取自三级/四级数据，自身却标为二级",
                       "item taken from level 3/4 data but marked level 2")
        # CAT-004: catalogued without any item
        for _ in range(k):
            prov = r.choice([c for c in self.dep_role if self.dep_district[c] >= 0])
            res = self.new_res(f"{self.business(prov)}{r.choice(KINDS)}（信息项待补录）", prov,
                               "部门信息资源", 2)
            res.stype, res.cond = "有条件共享", r.choice(CONDITIONS)
            self.plant("CAT-004", f"resource:{res.code}", "目录没有任何信息项", "resource has no item")
        # ODS-005: derivation cycles of two or three new resources
        for _ in range(k):
            prov = r.choice([c for c in self.dep_role if self.dep_district[c] >= 0])
            ring = []
            for j in range(r.choice([2, 3])):
                res = self.new_res(f"{self.business(prov)}汇总{KINDS[j]}", prov, "部门信息资源", 2)
                res.stype, res.cond = "有条件共享", r.choice(CONDITIONS)
                self.add_plain(res, 2)
                ring.append(res)
            for j, res in enumerate(ring):
                res.up = [ring[(j + 1) % len(ring)].code]
            for res in ring:
                self.plant("ODS-005", f"resource:{res.code}", "上游资源代码构成派生环",
                           "derivation cycle through upstream resources")
        # departments
        deps = [d for d in self.deps]
        for d in self.pick(deps, k):
            d[7] = ""
            self.plant("ORG-001", f"department:{d[0]}", "未指定共享负责人", "no sharing leader")
        for d in self.pick(deps, k):
            d[8] = ""
            self.plant("ORG-002", f"department:{d[0]}", "未指定共享经办人", "no sharing clerk")
        # systems
        in_use = [s for s in self.systems.values() if s[13] == "在用" and s[12] == "否"]
        for s in self.pick(in_use, k):
            s[14] = "否"
            self.plant("SYS-001", f"system:{s[0]}", "在用系统未接入共享平台（应接尽接）",
                       "system in use not connected to the sharing platform")
        for s in self.pick(in_use, k):
            s[9] = "自建机房"
            self.plant("SYS-002", f"system:{s[0]}", "在用非涉密系统未上云（自建机房）",
                       "non-classified system in use not on the government cloud")
        for j, s in enumerate(self.pick(in_use, k)):
            if j % 2 == 0:
                s[5] = "很少"
                why_zh, why_en = "使用频度为“很少”", "rarely used"
            else:
                s[15] = (AS_OF - dt.timedelta(days=r.randint(800, 1500))).isoformat()
                why_zh, why_en = f"最近运维时间{s[15]}超过730天", f"last maintained {s[15]}"
            self.plant("SYS-003", f"system:{s[0]}", f"僵尸系统候选：{why_zh}", f"zombie candidate: {why_en}")
        merged = [s for s in self.systems.values() if s[13] == "已整合"]
        for s in self.pick(merged, k):
            s[16] = ""
            self.plant("SYS-004", f"system:{s[0]}", "已整合但未填写整合至系统编码",
                       "merged but names no target system")
        for code in self.secret_systems[-k:]:
            self.systems[code][10] = r.choice(["电子政务外网", "互联网"])
            self.plant("SEC-001", f"system:{code}", f"涉密系统部署在{self.systems[code][10]}",
                       "classified system on a non-classified network")
        for row in self.pick(self.secret_flows, k):
            row[6] = "区县级平台"
            self.plant("SEC-002", f"flow:{row[0]}", "涉密资源经由非涉密共享平台流转",
                       "classified resource flows through a non-classified platform")
        # requests
        rejected = [q for q in self.reqs if q[7] == "已拒绝"]
        for q in self.pick(rejected, k):
            q[9] = ""
            self.plant("REQ-001", f"request:{q[0]}", "已拒绝但未填写拒绝理由", "rejected without a reason")
        done = [q for q in self.reqs if q[7] in ("已交付", "已批准")]
        for q in self.pick(done, k):
            filed = dt.datetime.combine(AS_OF, dt.time(10)) - dt.timedelta(days=r.randint(15, 200))
            q[6], q[7], q[8], q[10], q[11] = filed.isoformat() + "+08:00", "待审核", "", "", ""
            self.plant("REQ-002", f"request:{q[0]}", f"待审核超过{PENDING_DAYS}天",
                       f"pending for more than {PENDING_DAYS} days")
        self.plant_ods()

    def plant_ods(self) -> None:
        r, k, items = self.r, self.k, self.items
        by_el: dict[str, list[int]] = {}
        for i, it in enumerate(items):
            if it.de:
                by_el.setdefault(it.de, []).append(i)
        core = {c for c, row in self.elements.items() if row[4] in self.core_src_providers()}
        # elements carried by few items: their trouble reaches few responsibilities (RSP-001)
        free = [e for e in self.elements if e not in core and 2 <= len(by_el.get(e, [])) <= 4]
        free += [e for e in self.elements if e not in core and len(by_el.get(e, [])) > 4]
        head = free[:len(free) - sum(len(by_el[e]) > 4 for e in free)]
        r.shuffle(head)
        free[:len(head)] = head
        bad: list[str] = []
        leaves = {e: [i for i in by_el.get(e, []) if not items[i].auth and items[i].used == 0
                      and items[i].up >= 0 and f"resource:{items[i].res}" not in self.touched
                      and f"itemidx:{i}" not in self.touched]
                  for e in free}
        pos = 0

        def next_el(need_leaf: bool) -> str | None:
            nonlocal pos
            while pos < len(free):
                e = free[pos]
                pos += 1
                if not need_leaf or leaves[e]:
                    return e
            return None

        for _ in range(k):  # ODS-001: a second item claims to be the source
            e = next_el(True)
            if e is None:
                break
            i = r.choice(leaves[e])
            it = items[i]
            it.auth, it.src, it.up = True, "", -1
            self.touched.add(f"item:{it.res}/{it.name}")
            self.plant("ODS-001", f"element:{e}", f"“{self.elements[e][1]}”有两个权威来源",
                       "two items claim to be the authoritative source")
            bad.append(e)
        for _ in range(k):  # ODS-002: designated authority differs from the source's provider
            e = next_el(False)
            if e is None:
                break
            auth_dep = self.elements[e][4]
            others = [c for c in self.dep_role if c != auth_dep and self.dep_district[c] >= 0]
            self.elements[e][4] = r.choice(others)
            self.plant("ODS-002", f"element:{e}", f"“{self.elements[e][1]}”的权威来源不在指定的权威部门",
                       "the authoritative item is outside the designated department")
            bad.append(e)
        for _ in range(k):  # ODS-003: nobody is the source any more
            e = next_el(False)
            if e is None:
                break
            for i in by_el[e]:
                items[i].auth = False
            self.plant("ODS-003", f"element:{e}", f"“{self.elements[e][1]}”没有权威来源",
                       "no item is the authoritative source")
            bad.append(e)
        done = 0
        while done < k:  # ODS-004: re-collected instead of taken from the source
            e = next_el(True)
            if e is None:
                break
            for i in r.sample(leaves[e], min(len(leaves[e]), 2)):
                if done >= k:
                    break
                it = items[i]
                it.src, it.up = "", -1
                self.plant("ODS-004", f"item:{it.res}/{it.name}", f"自行采集“{self.elements[e][1]}”，"
                           "未从权威来源获取（重复采集）", "collected again instead of taken from the source")
                done += 1
        done = 0
        res_list = [x for x in self.res.values() if x.items and not x.secret]
        while done < k:  # LIN-001: taken from a resource without a matching item
            e = next_el(True)
            if e is None:
                break
            i = r.choice(leaves[e])
            it = items[i]
            for _ in range(50):
                other = r.choice(res_list)
                if other.code != it.src and e not in other.elems and it.name not in other.names:
                    it.src, it.up = other.code, -1
                    self.plant("LIN-001", f"item:{it.res}/{it.name}", f"来源资源{other.code}中没有对应信息项",
                               "the named upstream resource has no matching item")
                    done += 1
                    break
        # RSP-001 follows from the elements that no longer resolve
        needing = {e: [] for e in bad}
        for row in self.resp:
            for e in row[6].split(";"):
                if e in needing:
                    needing[e].append(row)
        for e in bad:
            if not needing[e]:
                row = r.choice(self.resp)
                row[6] = ";".join([*row[6].split(";"), e]) if row[6] else e
                needing[e].append(row)
        flagged: list[str] = []
        for row in self.resp:
            if any(e in needing for e in row[6].split(";")) and row[0] not in flagged:
                flagged.append(row[0])
                self.plant("RSP-001", f"responsibility:{row[0]}", "所需数据元没有唯一权威来源",
                           "a data element it needs has no single authoritative source")

    def core_src_providers(self) -> set[str]:
        return {x.provider for x in self.core_src.values()}

    # -- output ------------------------------------------------------------------------------
    def rows(self) -> dict[str, list[list[str]]]:
        out: dict[str, list[list[str]]] = {}
        out["departments.csv"] = self.deps
        out["data_elements.csv"] = list(self.elements.values())
        out["responsibilities.csv"] = self.resp
        out["systems.csv"] = list(self.systems.values())
        cat = []
        for res in self.res.values():
            names = "、".join(self.items[i].name for i in res.items[:3])
            abstract = (f"{res.name}，包括{names}等{len(res.items)}个信息项，服务于{res.scenario}。"
                        if res.items else f"{res.name}（信息项待补录）。")
            open_type = "无条件开放" if res.stype == "无条件共享" and res.level == 1 else "不予开放"
            cat.append([res.code, res.name, abstract, res.category, res.base, res.provider, res.system,
                        res.scenario, res.platform, res.stype, res.cond, res.basis, res.method, open_type,
                        res.freq, LV_NAME.get(res.level, ""), "是" if res.secret else "否", res.issued,
                        "XLSX" if res.method == "文件下载" else "数据库表", ";".join(res.up)])
        out["catalog.csv"] = cat
        out["items.csv"] = [[it.res, it.name, it.de, it.typ, str(it.length), "是" if it.auth else "否",
                             it.src, LV_NAME.get(it.lvl, "")] for it in self.items]
        out["sharing.csv"] = self.reqs
        out["flows.csv"] = self.flows
        return out


def generate(out: str | Path, scale: float | str = 1.0, seed: int = 0, *,
             progress: bool = False) -> SynthReport:
    """Write a synthetic catalog (8 CSV files + defects.json) into ``out``."""
    t0 = time.perf_counter()
    s = parse_scale(scale)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=max(60, round(3150 * s)) + 100, desc="synth", unit="资源", leave=False,
                   disable=None)
    g = _Gen(s, seed, bar.update if bar is not None else None)
    g.k = max(1, round(3 * s))
    g.departments()
    g.make_systems()
    g.resources()
    g.finish_levels()
    g.responsibilities()
    g.requests()
    g.make_flows()
    g.plant_all()
    report = SynthReport(out, s, seed)
    for name, rows in g.rows().items():
        with (out / name).open("w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(HEADERS[name])
            for row in rows:
                if len(row) != len(HEADERS[name]):
                    raise ValueError(f"{name}: a row of {len(row)} cells under "
                                     f"{len(HEADERS[name])} headers: {row[:2]}")
            w.writerows(rows)
        report.rows[name] = len(rows)
    defects = sorted(g.defects, key=lambda d: (d["rule"], d["focus"]))
    (out / "defects.json").write_text(json.dumps(
        {"dataset": f"synth-scale{s:g}-seed{seed}", "as_of": AS_OF.isoformat(), "scale": s,
         "seed": seed, "defects": defects}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    for d in defects:
        report.defects[d["rule"]] = report.defects.get(d["rule"], 0) + 1
    if bar is not None:
        bar.close()
    report.seconds = time.perf_counter() - t0
    return report
