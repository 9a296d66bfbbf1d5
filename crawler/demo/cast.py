"""The made-up province: its agencies, how each one's site is laid out, and the plan of
planted problems. Everything here is fiction (示范省 and its cities do not exist)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

from crawler.demo.figures import Scale

YEARS: Final = range(2021, 2026)
#: The demo's "today": every deadline of the years above has passed.
TODAY: Final = "2026-11-22"
#: When ``apply_edits`` says the later crawl's edits were made.
EDITED_AT: Final = "2026-11-29T10:00:00+08:00"

Format = tuple[
    str, str
]  # (format, layout): ("html", "table"|"pre"|"paragraphs"), ("pdf"|"docx", …)
HTML: Final[Format] = ("html", "table")
PRE: Final[Format] = ("html", "pre")
PARAS: Final[Format] = ("html", "paragraphs")
PDF: Final[Format] = ("pdf", "table")
DOCX: Final[Format] = ("docx", "table")


@dataclass(frozen=True)
class AgencySpec:
    id: str
    name: str
    short: str
    we: str
    level: str
    region: str
    parent: str | None
    slug: str  # portal path, e.g. "/qinghe/czj/"
    list_dir: str  # the 年报 column under the portal
    pagination: str  # index | create | query | next | single
    page_size: int
    scale: Scale
    topics: tuple[str, ...]
    encoding: str = "utf-8"
    in_registry: bool = True  # False: the list must be discovered from the portal
    deadline: str | None = None  # "MM-DD" override (townships)
    since: int = 2021
    formats: dict[int, Format] = field(default_factory=dict)
    templates: dict[int, str] = field(default_factory=dict)
    blank_zero: bool = False  # prints 0 as an empty cell in the 法人 columns
    list_dates: bool = True

    @property
    def area(self) -> str:
        return self.region.split("/")[-1]

    def fmt(self, year: int) -> Format:
        return self.formats.get(year, HTML)

    def template(self, year: int) -> str:
        return self.templates.get(year, "2021")

    @property
    def deadline_md(self) -> str:
        if self.deadline:
            return self.deadline
        return "01-31" if self.level == "department" else "03-31"


def _s(
    apps: int,
    rev: int,
    law: int,
    lic: int,
    pun: int,
    docs: int,
    regs: bool,
    fees: float,
    items: int,
) -> Scale:
    return Scale(apps, rev, law, lic, pun, docs, regs, fees, items)


AGENCIES: Final = (
    AgencySpec(
        "sfs-gov", "示范省人民政府", "省政府办公厅", "省政府办公厅", "province", "示范省",
        None, "/sfs/", "zfxxgk/ndbg/", "index", 4,
        _s(320, 9, 5, 900, 60, 28, True, 0.0, 5200),
        ("营商环境优化", "重大项目建设", "民生实事", "财政预决算", "乡村振兴", "安全生产"),
    ),
    AgencySpec(
        "sfs-sthjt", "示范省生态环境厅", "省生态环境厅", "我厅", "department", "示范省",
        "sfs-gov", "/sthjt/", "xxgk/gknb/", "query", 3,
        _s(140, 4, 3, 420, 380, 9, False, 0.0, 1900),
        ("环评审批", "排污许可", "空气质量发布", "河湖长制", "环境执法", "固体废物管理"),
        formats={2021: PARAS},
    ),
    AgencySpec(
        "qh-gov", "青禾市人民政府", "市政府办公室", "市政府办公室", "city", "示范省/青禾市",
        "sfs-gov", "/qinghe/", "zwgk/ndbg/", "create", 3,
        _s(180, 6, 4, 640, 90, 22, True, 0.0, 3600),
        ("城市更新", "菜篮子工程", "义务教育入学", "公共交通", "老旧小区改造", "就业创业"),
        list_dates=False,
    ),
    AgencySpec(
        "qh-czj", "青禾市财政局", "市财政局", "我局", "department", "示范省/青禾市",
        "qh-gov", "/qinghe/czj/", "xxgknb/", "next", 4,
        _s(45, 2, 1, 12, 6, 7, False, 3.6, 820),
        ("预算决算公开", "政府债务信息", "惠企资金直达", "政府采购意向", "国库集中支付",
         "财政票据电子化"),
        formats={2022: DOCX},
    ),
    AgencySpec(
        "qh-scjgj", "青禾市市场监督管理局", "市市场监管局", "我局", "department",
        "示范省/青禾市", "qh-gov", "/qinghe/scjgj/", "gknb/", "index", 4,
        _s(95, 3, 2, 5200, 640, 5, False, 0.0, 1300),
        ("食品安全抽检", "企业开办", "特种设备安全", "价格监督检查", "知识产权保护", "消费维权"),
        formats={2025: PDF},
    ),
    AgencySpec(
        "qh-wjw", "青禾市卫生健康委员会", "市卫生健康委", "我委", "department", "示范省/青禾市",
        "qh-gov", "/qinghe/wjw/", "ndbg/", "single", 10,
        _s(38, 1, 1, 310, 120, 4, False, 0.0, 960),
        ("医疗机构执业登记", "公共卫生服务", "疫苗接种", "医保支付改革", "院前急救", "托育服务"),
        formats={2022: PDF, 2023: PDF, 2024: PDF, 2025: DOCX},
    ),
    AgencySpec(
        "bl-gov", "白岭市人民政府", "市政府办公室", "市政府办公室", "city", "示范省/白岭市",
        "sfs-gov", "/bailing/", "zfxxgk/nb/", "index", 4,
        _s(150, 5, 3, 520, 70, 18, True, 0.0, 3100),
        ("矿区生态修复", "县域经济", "保障性住房", "水利工程", "义务教育", "养老服务"),
        encoding="gbk",
        formats={2022: PDF},
    ),
    AgencySpec(
        "bl-zjj", "白岭市住房和城乡建设局", "市住建局", "我局", "department", "示范省/白岭市",
        "bl-gov", "/bailing/zjj/", "xxgknb/", "query", 4,
        _s(60, 2, 2, 180, 40, 6, False, 1.2, 700),
        ("保障性住房分配", "建筑市场监管", "物业管理", "城市燃气安全", "老旧小区改造",
         "房屋网签备案"),
        in_registry=False,
        formats={2023: PRE},
    ),
    AgencySpec(
        "yx-gov", "云溪县人民政府", "县政府办公室", "县政府办公室", "county",
        "示范省/青禾市/云溪县", "qh-gov", "/yunxi/", "xxgk/ndbg/", "next", 3,
        _s(70, 3, 2, 260, 45, 12, False, 0.0, 2100),
        ("茶产业发展", "乡村振兴", "农村人居环境", "县城污水治理", "惠农补贴", "山洪灾害防治"),
        formats={2021: PARAS},
    ),
    AgencySpec(
        "yx-zrzyj", "云溪县自然资源局", "县自然资源局", "我局", "department",
        "示范省/青禾市/云溪县", "yx-gov", "/yunxi/zrzyj/", "gknb/", "single", 10,
        _s(30, 1, 1, 140, 25, 3, False, 0.0, 430),
        ("不动产登记", "耕地保护", "国土空间规划", "地质灾害防治", "土地出让", "矿产资源管理"),
        blank_zero=True,
    ),
    AgencySpec(
        "sc-gov", "青禾市松川区人民政府", "区政府办公室", "区政府办公室", "county",
        "示范省/青禾市/松川区", "qh-gov", "/songchuan/", "zwgk/ndbg/", "create", 4,
        _s(42, 2, 2, 300, 55, 10, False, 0.0, 1800),
        ("街区更新", "社区养老", "营商服务", "教育集团化办学", "河道整治", "就业帮扶"),
        formats={2025: PDF},
    ),
    AgencySpec(
        "sm-gov", "石门县人民政府", "县政府办公室", "县政府办公室", "county",
        "示范省/白岭市/石门县", "bl-gov", "/shimen/", "zfxxgk/ndbg/", "index", 3,
        _s(55, 2, 1, 210, 35, 11, False, 0.0, 1500),
        ("石材产业转型", "易地搬迁后续扶持", "农村公路", "县域医共体", "森林防火", "农村饮水安全"),
        encoding="gbk",
        formats={2021: DOCX},
    ),
    AgencySpec(
        "sm-jyj", "石门县教育局", "县教育局", "我局", "department", "示范省/白岭市/石门县",
        "sm-gov", "/shimen/jyj/", "xxgknb/", "next", 4,
        _s(24, 1, 0, 35, 3, 4, False, 0.0, 520),
        ("义务教育招生", "学生资助", "校园安全", "教师招聘", "课后服务", "学前教育"),
        encoding="gbk",
        templates={2021: "2019", 2022: "2019"},
    ),
    AgencySpec(
        "ty-town", "云溪县桃源镇人民政府", "桃源镇", "本镇", "township",
        "示范省/青禾市/云溪县/桃源镇", "yx-gov", "/yunxi/taoyuan/", "xxgk/nb/", "single", 10,
        _s(6, 0, 0, 20, 4, 1, False, 0.0, 210),
        ("高山茶园", "村级公益事业", "农村危房改造", "防汛救灾", "集体经济", "移风易俗"),
        deadline="02-28",
        formats={2021: PRE, 2022: PRE},
    ),
    AgencySpec(
        "ly-street", "松川区柳荫街道办事处", "柳荫街道", "本街道", "township",
        "示范省/青禾市/松川区/柳荫街道", "sc-gov", "/songchuan/liuyin/", "gkml/nb/", "query", 3,
        _s(8, 0, 0, 15, 2, 1, False, 0.0, 260),
        ("社区网格化治理", "老年食堂", "背街小巷整治", "垃圾分类", "社区矫正", "退役军人服务"),
        deadline="01-31",
        formats={2022: PARAS},
    ),
    AgencySpec(
        "ml-town", "石门县梅岭乡人民政府", "梅岭乡", "本乡", "township",
        "示范省/白岭市/石门县/梅岭乡", "sm-gov", "/shimen/meiling/", "xxgk/ndbg/", "single", 10,
        _s(4, 0, 0, 12, 2, 1, False, 0.0, 150),
        ("中药材种植", "生态护林", "村卫生室建设", "易地搬迁", "春耕备耕", "乡村道路"),
        deadline="03-31",
        since=2023,
        formats={2024: DOCX},
    ),
)  # fmt: skip

# The planted problems, one agency/year each (see build.plant for what each one does).
MISSING: Final = ("yx-zrzyj", 2024)
LATE: Final = ("bl-gov", 2023)
IDENTITY: Final = ("qh-scjgj", 2024)
JUMP: Final = ("sc-gov", 2023)
CARRYOVER: Final = ("sm-gov", 2022)
CHANGED: Final = ("qh-czj", 2024)
COPIED: Final = ("ly-street", 2023)
COPIED_FROM: Final = ("ty-town", 2023)
REMOVED: Final = ("sfs-sthjt", 2022)
PROSE_MISMATCH: Final = ("yx-gov", 2024)
#: The report page sent as GBK bytes under a ``<meta charset="utf-8">``.
WRONG_META: Final = ("qh-gov", 2022)


def agency(agency_id: str) -> AgencySpec:
    for spec in AGENCIES:
        if spec.id == agency_id:
            return spec
    raise KeyError(agency_id)
