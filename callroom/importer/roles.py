"""What each column of a list holds, found from its header words *and* its cells.

Real lists keep to no vocabulary: `联系号码`, `本人电话`, `Mobile No.`, `*手机号码（必填）`, a blank
header over a column of numbers. So every column is scored twice:

- its header, normalised (width, case, spaces, `*`, `（必填）`), against each role's *word
  families* (phone words 电话/手机/号码/联系方式/mobile/tel, address words ending in 址, arrival
  as 抵/到/返/来/入 + 时间/日期, ...), with the words that rule a role out;
- its cells, a sample of them, against each role's content test (valid CN/HK/MO numbers, GB 11643
  IDs, 2-4 character Chinese names with a known surname, dates, addresses, ...).

A role is given by both together (`assign`), and people are told apart by the words *around* a
role word (`whose`): `紧急联系人电话` is somebody else's number, `客户电话` is the customer's own
when the row is about a 客户.

Reuse: another kind of list (test results, a roster of vulnerable residents) builds its own
RoleSet from these roles plus its own, e.g.::

    RESULT = Role("result", strong=words(r"检测结果|核酸结果|结果"), test=is_result)
    RESULTS_LIST = RoleSet((*PERSON_ROLES, TEST_TIME, SAMPLE_SITE, RESULT))

and calls ``assign(columns, RESULTS_LIST, hints)``: header finding, scoring and the whose-number
rules come for free. Adding a role is one ``Role(...)`` (header words, a cell test) in a RoleSet.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from callroom.ids import DAMAGED, OK, UPGRADED, parse_id
from callroom.importer.dates import PART_OF_DAY, day_of, yearless
from callroom.invisible import strip_invisible
from callroom.phones import excel_damaged, plain_mobile, read_numbers

# -- header text --------------------------------------------------------------------------------

_SPACES = re.compile(r"\s+")
_DECORATION = re.compile(r"^[*＊#★☆※]+|[*＊:：★]+$")
_BRACKETS = re.compile(r"[(（\[【<《](.*?)[)）\]】>》]")
_GENERIC = re.compile(
    r"^(?:列|字段|栏|column|col|field|unnamed:?_?|f)_?[0-9]*$|^[0-9]+$|^_+$", re.IGNORECASE
)
_REQUIRED = re.compile(r"必填|选填|必须|可选|非必填|required|optional")


def norm_header(value: object) -> str:
    """'  联系电话（必填）* ' and '联系电话（必填）' compare equal; case, width and spaces do not
    matter (the signature of a remembered layout is built from these)."""
    text = strip_invisible(str(value if value is not None else ""))
    text = unicodedata.normalize("NFKC", text).casefold()
    return _DECORATION.sub("", _SPACES.sub("", text))


@dataclass(frozen=True)
class Header:
    """One column's header: as written, normalised, and cut into its parts."""

    text: str  # as written (one line), "" when the column has no header
    norm: str  # normalised: see norm_header
    bare: str  # without bracketed notes and required-markers: "联系电话（必填）" -> "联系电话"
    notes: str  # what the brackets said: "必填", "本人"
    group: str = ""  # the banner cell over it in a two-row header, normalised

    @classmethod
    def of(cls, value: object, group: object = "") -> Header:
        text = " ".join(strip_invisible(str(value)).split()) if value not in (None, "") else ""
        norm = norm_header(text)
        notes = " ".join(_BRACKETS.findall(norm))
        bare = _DECORATION.sub("", _BRACKETS.sub("", norm))
        bare = _DECORATION.sub("", _REQUIRED.sub("", bare)) or bare
        g = norm_header(group) if group not in (None, "") else ""
        return cls(text, norm, bare, _REQUIRED.sub("", notes).strip(), g if g != norm else "")

    @property
    def empty(self) -> bool:
        """No header, or a placeholder like 列3 / Column1 / Unnamed: 2."""
        return not self.bare or bool(_GENERIC.match(self.bare))

    @property
    def words(self) -> str:
        """What the role words are looked for in: the banner cell above, then the header."""
        return f"{self.group}{self.bare}" if self.group else self.bare


def words(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


# -- content tests: one cell -> does it look like this role's data? ------------------------------

_CJK = re.compile(r"^[\u3400-\u9fff]+$")
_MINORITY = re.compile(r"^[\u3400-\u9fff]{1,6}[·•．.][\u3400-\u9fff]{1,8}$")
# Surnames (the 百家姓 and the common modern ones), so that 已核实, 阴性 or 北京市 are not names.
_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏"
    "苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付傅方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚"
    "邵万覃武钱戴严莫孔向常汤康易乔赖文施洪辛柯庄葛鲁温尚晏詹欧倪甘牛蓝祝苗申祁阮翟单涂关包殷左"
    "卓池聂耿骆应宁章凌柴伍司费褚邢纪霍焦鲍景阎房裴路瞿靳桂颜窦车卞晋季满曲舒谷湛蒙岳鄢古柳习巫"
    "麦吉符全米冉刁敖揭练邝项储艾芦幸班亓梅连冷阳柏缪管邬鞠凤滕计伏成戚谈宗茅庞屈闵席麻强娄危童"
    "盛樊虞支昝经裘干解宣贲郁杭诸嵇钮滑荣翁荀羊於惠甄家封芮羿汲邴糜松井富乌巴弓牧隗山宓蓬郗仰秋"
    "仲伊宫仇栾暴钭厉戎祖束韶郜蓟薄印宿怀蒲邰从鄂索咸籍蔺屠阴胥能苍双闻莘党贡劳逄姬扶堵宰郦雍却"
    "璩桑濮寿通边扈燕冀郏浦农别充慕茹宦鱼容慎戈庾终暨居衡步都弘匡国寇广禄阙东殳沃利蔚越夔隆师巩"
    "厍晁勾融訾阚那简饶空毋沙乜养须丰巢蒯相查后荆红游竺权逯盖益桓公仉督帅缑亢况郈有琴归海楚法汝"
    "钦商牟佘佴伯赏墨哈谯笪年爱佟言福尉佳谌植郇"
)
# A short word ending like a place, an organisation, a state or a result is not a name.
_NOT_NAME_END = re.compile(
    r"[区市县省镇乡村路街道号栋楼室店站部处科局院校所队组性类型式型员厂场馆园城湾港区]$"
)
_DOUBLE_SURNAMES = frozenset(
    ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
     "夏侯", "令狐", "端木", "澹台", "轩辕", "呼延", "南宫", "独孤", "西门", "万俟")
)  # fmt: skip
_ADDRESS_MARKS = re.compile(
    r"路|街|道|号|栋|幢|座|楼|室|单元|小区|村|镇|苑|园|大厦|花园|广场|巷|弄|社区|公寓|宿舍|庄|城|湾|府|里"
)
_PLACE_MARKS = re.compile(r"省|市|区|县|州|镇|乡|旗|盟|国|香港|澳门|台湾|特别行政区|[A-Za-z]{3,}")
_ID_TYPES = re.compile(
    r"身份证|护照|通行证|回乡证|台胞证|居留|军官证|士兵证|户口|出生证|外国人|passport|证件", re.I
)
_DATE_TEXT = re.compile(
    r"^(?:[0-9]{4}\s*[-/.年]\s*)?[0-9]{1,2}\s*[-/.月]\s*[0-9]{1,2}\s*[日号]?"
    rf"\s*(?:{PART_OF_DAY})?"
    r"(?:\s*[T ]?\s*[0-9]{1,2}\s*[:：时点]\s*(?:[0-9]{1,2})?\s*分?(?::[0-9]{1,2})?)?"
    rf"\s*(?:{PART_OF_DAY})?$"
    r"|^[0-9]{4}(?:0[1-9]|1[0-2])(?:[0-2][0-9]|3[01])$",
    re.IGNORECASE,
)


def _text(value: object) -> str:
    if not isinstance(value, str):
        return ""
    return unicodedata.normalize("NFKC", strip_invisible(value)).strip()


def _phone_shaped(value: object) -> bool:
    """Cheap: could this cell hold a number at all? (7 digits or more: a local landline)"""
    if isinstance(value, float | int) and not isinstance(value, bool):
        return 1e6 <= abs(value) < 1e16
    if isinstance(value, str):
        digits = sum(c.isdigit() for c in value)
        if digits < 7:
            return False
        return not (digits > 16 and value.strip().isdigit())
    return False


def is_phone(value: object) -> bool:
    """A valid CN/HK/MO number anywhere in the cell (annotations and packed numbers too); a
    date written as text (2010-03-01) is not an 8-digit landline."""
    if plain_mobile(value) is not None:
        return True
    if not _phone_shaped(value) or excel_damaged(value) or is_date(value):
        return False
    found, _ = read_numbers(value)
    return bool(found)


def is_mobile(value: object) -> bool:
    if plain_mobile(value) is not None:
        return True
    if not _phone_shaped(value):
        return False
    found, _ = read_numbers(value)
    return any(p.kind == "mobile" for p, _ in found)


def is_id(value: object) -> bool:
    """A GB 11643 ID (or one Excel damaged), a residence permit or a home-return permit."""
    if isinstance(value, bool) or value in (None, ""):
        return False
    if isinstance(value, str):
        if not 9 <= len(value) <= 24:
            return False
    elif not (isinstance(value, float | int) and abs(value) >= 1e8):
        return False
    ident = parse_id(value)
    if ident is None:
        return False
    return ident.flag in (OK, UPGRADED, DAMAGED) or ident.kind == "home_return_permit"


def is_person_name(value: object) -> bool:
    """2-4 Chinese characters starting with a known surname, or a minority name with a dot."""
    text = _text(value)
    if 2 <= len(text) <= 4 and _CJK.match(text):
        if _NOT_NAME_END.search(text):
            return False
        return text[0] in _SURNAMES or text[:2] in _DOUBLE_SURNAMES
    return bool(_MINORITY.match(text))


def is_date(value: object) -> bool:
    if isinstance(value, datetime | date):
        return True
    text = _text(value)
    return bool(text) and bool(_DATE_TEXT.match(text))


def is_address(value: object) -> bool:
    text = _text(value)
    return len(text) >= 5 and len(_ADDRESS_MARKS.findall(text)) >= 2


def is_place(value: object) -> bool:
    text = _text(value)
    return 2 <= len(text) <= 40 and bool(_PLACE_MARKS.search(text))


_CHANNEL = re.compile(
    r"^(?:微信|wechat|app|网页|网站|官网|小程序|公众号|短信|二维码|扫码|链接|直接访问|qq|微博|抖音|"
    r"朋友圈|电话|手机|手机提交|电脑|pc|web|h5|ios|android|安卓|苹果|n/a|其他|其它|未知|无|-)$",
    re.IGNORECASE,
)


def is_channel(value: object) -> bool:
    """How a form was reached or sent (微信, APP, 网页, 直接访问): a 问卷星 or 金数据 export's
    来源 column, not where a person came from."""
    return bool(_CHANNEL.match(_text(value)))


def is_id_type(value: object) -> bool:
    text = _text(value)
    return 0 < len(text) <= 20 and bool(_ID_TYPES.search(text))


# -- roles ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Role:
    """One kind of information a column can hold."""

    name: str
    strong: re.Pattern[str] | None = None  # header words that name the role on their own
    weak: re.Pattern[str] | None = None  # header words that need the cells to agree
    avoid: re.Pattern[str] | None = None  # header words that rule the role out
    test: Callable[[object], bool] | None = None  # does one cell look like this role's data?
    need: float = 0.5  # share of sample cells passing `test` that confirms the role
    person: bool = False  # a person's: words naming someone else make it theirs (see whose)
    by_content: bool = False  # may be found from its cells alone, under an empty header
    many: bool = False  # several columns may hold it (alternate numbers, address parts)
    # a cell that says the column is something else (微信 under 来源: a channel, not a place)
    refute: Callable[[object], bool] | None = None


PHONE = Role(
    "phone",
    strong=words(
        r"电话|手机|座机|固话|移动号|联系方式|小灵通|mobile|phone|(?<![a-z])tel(?![a-z])|"
        r"(?<![a-z])cell(?![a-z])"
    ),
    weak=words(r"号码|联系号|(?<![a-z])no\.?$|number|contact|联系$"),
    avoid=words(
        r"身份|证件|证号|车牌|车次|航班|房号|门牌|工号|学号|编号|卡号|账号|帐号|订单|单号|批号|序号|"
        r"qq|邮编|邮箱|email|e-mail|传真|fax|型号|号段"
    ),
    test=is_phone,
    need=0.5,
    person=True,
    by_content=True,
    many=True,
)
ID_NUMBER = Role(
    "id_number",
    strong=words(
        r"身份证|证件号|证件编号|公民身份|身份号|居民身份|护照号|通行证号|idcard|idno|idnumber|"
        r"id_no|id_number|(?<![a-z])nric"
    ),
    weak=words(r"^id$|证号|^证件$|号码"),
    avoid=words(r"类型|种类|类别|名称|type|有效期|签发|发证"),
    test=is_id,
    need=0.5,
    person=True,
    by_content=True,
)
ID_TYPE = Role(
    "id_type",
    strong=words(r"(证件|证照|身份证明)(类型|种类|类别|名称)|idtype|documenttype|doctype"),
    weak=words(r"^证件$"),
    test=is_id_type,
)
NAME = Role(
    "name",
    strong=words(
        r"姓名|名字|人名|联系人|收货人|^name$|fullname|full_name|realname|real_name|truename|"
        r"(?<![a-z])name(?![a-z])|[a-z]name$|"
        r"(客户|用户|患者|居民|人员|旅客|乘客|访客|住户|业主|租户|员工|职工|学生|司机|申请人|当事人)名称"
    ),
    # the row's person named by a role: 预约人, 受种者, 走访对象, 司机 (the cells must be names)
    weak=words(
        r"名称|称呼|户主|人$|者$|对象$|^(宾客|旅客|乘客|游客|访客|住户|业主|租户|居民|病人|病患|"
        r"患者|学生|员工|职工|司机|骑手|老人|儿童|幼儿|孕妇|考生|学员|会员|客户|用户|人员)$"
    ),
    avoid=words(
        r"用户名(?!称)|登录|账号|帐号|单位|公司|企业|部门|科室|机构|组织|团队|班组|小区|酒店|宾馆|"
        r"场所|医院|学校|地点|地区|地址|项目|产品|商品|物品|货物|车辆|"
        r"文件|filename|username|user_name|nickname|nick_name|company|hotel|street|host|domain|"
        r"file|product|item|goods|org|dept|department|shop|store|brand|place|city|district|"
        r"province|country|school|class|station|site|sheet|网名|昵称|英文名|拼音|曾用名|别名|签名|"
        r"人数|人次|个人$|本人$"
    ),
    test=is_person_name,
    need=0.4,
    person=True,
    by_content=True,
)
NAME_FAMILY = Role("name_family", strong=words(r"^(姓|姓氏|lastname|familyname|surname)$"))
NAME_GIVEN = Role("name_given", strong=words(r"^(名|firstname|givenname|名\(拼音\))$"))
ARRIVAL = Role(
    "arrival",
    strong=words(
        r"(抵|到|返|来|入|进)[^时日期]{0,6}(时间|日期|时刻|日)$|(抵|到|返|来|入|进)[^时日期]{0,6}(时间|日期)|"
        r"arrival|arrive|入境|到达|抵达"
    ),
    avoid=words(
        r"离|出发时间|出生|生日|采样|检测|登记|填报|上报|报告|创建|更新|修改|导出|推送|下发|核查|拨打|"
        r"通话|录入|提交|审核|截止|有效期|打卡|入职|入学|入园|入党|入伍|入团|入司|入厂|入户|入籍|"
        r"参加工作|工作时间|birth|created|updated|hire|join"
    ),
    test=is_date,
    need=0.4,
)
ARRIVAL_DAYS = 180  # an arrival lies within this many days before the list's latest date
PLACE = Role(
    "place",
    strong=words(
        r"来源|途经|途径|出发|旅居|常住(地|城市|省|市|地区)?$|风险(地|区)|始发|到访|经停|"
        r"来自|去过|行程|旅行史|居住史|(来|返|回|抵|到|进|入)[深粤港莞穗]?前|离开地|"
        r"origin|(?<![a-z])place(?![a-z])|(?<![a-z])from(?![a-z])"
    ),
    # 户籍 / 籍贯 is where a person is registered, not where they came from: a place only when
    # the list says nothing better (a weak word, then the cells must agree)
    weak=words(r"地区|城市|省份|所在地|场所|户籍|籍贯"),
    avoid=words(r"时间|日期|人数|次数|方式|工具|原因|现住|现居|ip|网址|url|渠道|详情"),
    test=is_place,
    need=0.4,
    refute=lambda value: is_channel(value),
)
ADDRESS = Role(
    "address",
    strong=words(
        r"址$|地址|住址|address|addr|门牌号|住所|住处|现居住地|现住地|现居地|居住地点|详细位置|"
        r"所在位置|住宿地|居住(小区|楼栋)?详细"
    ),
    weak=words(r"居住|住在|位置|location|住宿"),
    avoid=words(
        r"来源|途经|途径|出发|旅居|户籍|籍贯|风险|始发|到访|经停|来自|单位|公司|工作|办公|商务|"
        r"邮件|邮箱|email|e-mail|mail|ip|网址|url|web|时间|日期"
    ),
    test=is_address,
    need=0.3,
    by_content=True,
)
# Parts of an address split over columns, in the order they are joined.
ADDRESS_PARTS = (
    ("province", r"省|省份"),
    ("city", r"市|城市|地市"),
    ("district", r"区|县|区县|区/县|县区|县/区|行政区|所在区"),
    ("street", r"街道|镇|乡镇|街道办|街镇|镇街|镇/街道|街道/镇"),
    ("community", r"社区|村|居委会|村委会|社区居委会|村居|社区/村|村/社区|网格"),
    ("compound", r"小区|小区名称|楼盘|屋苑|苑区|住宅小区|小区/村"),
    ("building", r"楼栋|栋|幢|楼号|栋号|楼栋号|栋/幢|座|楼"),
    ("unit", r"单元|单元号"),
    ("room", r"房号|房间号|房间|门牌|户号|房屋号|室|房号/室号"),
)
_PART_PREFIX = r"(?:所在|所属|居住|现住|现居|家庭)?"
ADDRESS_PART = Role(
    "address_part",
    strong=words(
        "^" + _PART_PREFIX + "(?:" + "|".join(p for _, p in ADDRESS_PARTS) + r")(?:名称|号)?$"
    ),
    many=True,
)
NOTE = Role(
    "note",
    strong=words(r"备注|remark|(?<![a-z])notes?(?![a-z])|comment|附注|memo"),
    weak=words(r"说明|情况"),
    avoid=words(r"填写说明|证件|类型"),
)
SERIAL = Role(
    "ignore",
    strong=words(r"^(序号|序|编号|no\.?|#|行号|index|sn|s/n|序列号|排序)$"),
    many=True,
)
SECRET = Role(
    "secret",
    strong=words(
        r"密码|口令|password|passwd|pwd|passcode|pin码|银行卡|银行账|银行帐|信用卡|储蓄卡|验证码|"
        r"token|密钥|secret|cvv|cvc|安全码|私钥|apikey|api_key|accesskey|支付宝账号"
    ),
    many=True,
)


@dataclass(frozen=True)
class RoleSet:
    """The roles one kind of list can hold, most specific first: a header that matches two
    roles' words takes the first (证件号码 is an ID, not a phone; 联系人电话 a phone, not a name)."""

    roles: tuple[Role, ...]

    def get(self, name: str) -> Role | None:
        return next((r for r in self.roles if r.name == name), None)


CALL_LIST = RoleSet(
    (SECRET, ID_TYPE, ID_NUMBER, ARRIVAL, PLACE, ADDRESS_PART, ADDRESS, PHONE, NAME_FAMILY,
     NAME_GIVEN, NAME, NOTE, SERIAL)
)  # fmt: skip


def part_order(header: Header) -> int:
    """Where an address part goes when the parts are joined (province first, room last)."""
    for text in (re.sub("^" + _PART_PREFIX, "", header.bare), header.notes):
        for order, (_, pattern) in enumerate(ADDRESS_PARTS):
            if re.fullmatch(f"(?:{pattern})(?:名称|号)?", text):
                return order
    return len(ADDRESS_PARTS)


def address_part_in_notes(header: Header) -> bool:
    """现居住地址（省）, （市）: an address split over columns, the part said in brackets."""
    if not header.notes or part_order(Header.of(header.notes)) == len(ADDRESS_PARTS):
        return False
    return not header.bare or bool(ADDRESS.strong and ADDRESS.strong.search(header.bare))


# -- whose is it: the words around a role word ---------------------------------------------------

# Someone other than the row's person: a relative, a guardian, the contact met, the salesperson.
# Kin, by the words a list writes next to a number: 老公, 女儿, 女婿, 儿媳, 外孙, 舅舅, 邻居, ...
KIN = (
    r"紧急|监护|家属|亲属|亲友|亲戚|家人|家长|父|母|爸|妈|配偶|爱人|丈夫|妻|老公|老婆|老伴|子女|儿子|"
    r"女儿|儿媳|媳妇|女婿|孩子|孙|侄|甥|舅|姨|叔|伯|姑|嫂|岳|公公|婆婆|兄|弟|姐|妹|邻居|保姆|护工|"
    r"室友|同学|朋友"
)
OTHER_PERSON = words(
    r"(?<![本个私])人(?!员|口)|" + KIN + r"|同行|同住|同事|同伴|同乘|随行|陪同|陪护|陪伴|对方|咨询|"
    r"负责|销售|业务|客服|经理|"
    r"经办|介绍|推荐|担保|被访|接待|登记|填报|填表|上报|报告|核查|调查|网格|社工|医生|老师|班主任|"
    r"辅导员|房东|物业|司机|驾驶员|车主|干部|包保|主任|书记|站长|民警|片警|楼长|栋长|"
    r"emergency|guardian|parent|father|mother|spouse|relative|"
    r"sales|agent|manager|owner|reporter"
)
# A second person of the row, never its subject: the co-driver, the escort, the companion, the
# guardian. Among several name columns (司机姓名, 押运员姓名) the row is about the one without.
SECONDARY = words(
    r"副|押运|陪同|随行|同行|同住|同乘|陪护|紧急|监护|家属|亲属|家长|父|母|配偶|联系人|担保|介绍|"
    r"co-?driver|escort|companion|guardian|parent|emergency"
)
# An organisation's line, not a person's: the community office, the hotel, the clinic that sent
# the sample, the school. (A bare 单位电话 or 公司电话 is the person's work number: an alternate,
# unless it repeats down the list, see header.py.)
ORGANISATION = words(
    r"社区|街道|居委|村委|工作站|酒店|宾馆|旅馆|民宿|医院|诊所|社康|卫生院|卫生站|门诊|药店|学校|"
    r"幼儿园|派出所|警务|物业|指挥部|专班|办事处|热线|值班|前台|总机|"
    r"(?:送检|报送|接收|上报|填报|推送|负责|管理|检测|采样|所属|用人|承运|运输|物流|派遣|隔离)"
    r"(?:单位|公司|企业|机构|点|酒店)|"
    r"hotel|clinic|hospital|school|office|hotline|reception"
)
# Who the rows are about when they are children: the guardian's number is the one to call.
CHILDREN = words(
    r"学生|学员|幼儿|儿童|孩子|小孩|子女|患儿|婴儿|新生儿|宝宝|未成年|pupil|student|child"
)
GUARDIAN = words(r"家长|监护|父|母|爸|妈|guardian|parent|father|mother")
# Explicitly the person's own, whatever else the header says.
OWN_PERSON = words(r"本人|自己|个人|本机|own|personal|self")
# The person's own further numbers: a landline, work, home, a second number.
ALTERNATE = words(
    r"固定|座机|固话|家庭|住宅|家里|宅电|工作|办公|单位|公司|商务|备用|其他|其它|第二|副号|小灵通|"
    r"landline|home|work|office|business|other|alternate|secondary|fax|[2-9二三]$|[2-9二三]号?码?$"
)
_NAME_WORDS = words(r"姓名|名字|名称|称呼|full_?name|real_?name|true_?name|name$")
# Who someone is, by the last character of the words: 押运员, 站长, 骑手, 房东, 业主, 学生, 客户.
_PERSON_NOUN = re.compile(
    r"(?:人|员|者|长|师|生|主|客|户|手|属|友|母|父|姐|妹|兄|弟|妻|夫|官|警|士|东)$"
)


def qualifier(header: Header, role: Role | None) -> str:
    """The words around the role word: 紧急联系人电话 -> 紧急联系人; 电话（本人） -> 本人."""
    text = header.words
    for pattern in (role.strong, role.weak) if role else ():
        if pattern is not None:
            text = pattern.sub("", text)
    extra = " ".join(x for x in (header.notes,) if x)
    return f"{text} {extra}".strip()


def subject_of(header: Header) -> str:
    """Who a row is about, from its name column: 客户姓名 -> 客户; 联系人 -> 联系人; 姓名 -> ''."""
    return _NAME_WORDS.sub("", header.bare)


def whose(header: Header, role: Role | None, subject: str, people: Sequence[str] = ()) -> str:
    """'own', 'alternate' (the person's own further number) or 'other' (someone else's, or an
    organisation's line). ``people``: the other persons the list names (副驾 of 副驾姓名)."""
    q = qualifier(header, role)
    if OWN_PERSON.search(q):
        return "own"  # 本人电话, 电话（本人）
    is_phone = role is not None and role.name == "phone"
    if subject and subject in header.words:  # 客户电话 in a list about 客户
        rest = q.replace(subject, "")
        return "alternate" if is_phone and ALTERNATE.search(rest) else "own"
    if any(p and p in q for p in people):
        return "other"  # 副驾电话 beside 副驾姓名: the co-driver's
    if OTHER_PERSON.search(q) or (is_phone and ORGANISATION.search(q)):
        return "other"  # 紧急联系人电话, 监护人身份证号, 家属电话, 酒店电话, 送检单位电话
    bare = re.sub(r"[\s0-9_.()\-]+$", "", ALTERNATE.sub("", q))
    if bare and _PERSON_NOUN.search(bare) and bare != subject:
        return "other"  # 押运员手机, 站长电话: a person who is not the row's
    if is_phone and ALTERNATE.search(header.words):
        return "alternate"  # 座机, 固定电话, 家庭电话, 工作电话, 电话2
    return "own"


# -- scoring and assigning ------------------------------------------------------------------------


@dataclass
class Column:
    """One column of a sheet: its index (0 = the sheet's first column), header and sample."""

    index: int
    letter: str
    header: Header
    cells: list[object] = field(default_factory=list)  # a sample of the data cells, blanks out
    _shares: dict[str, tuple[int, int]] = field(default_factory=dict, repr=False)

    def count(self, role: Role) -> tuple[int, int]:
        """(cells passing the role's test, non-empty cells in the sample), cached."""
        if role.test is None:
            return (0, 0)
        if role.name not in self._shares:
            test = role.test
            passed = sum(1 for c in self.cells if test(c))
            self._shares[role.name] = (passed, len(self.cells))
        return self._shares[role.name]

    def share(self, role: Role) -> float:
        passed, total = self.count(role)
        return passed / total if total else 0.0

    @property
    def label(self) -> str:
        """'C 联系电话' (or just 'C' when the column has no header): how messages name it."""
        return f"{self.letter} {self.header.text}".strip()


@dataclass
class Choice:
    """What one column was found to hold, and why."""

    role: str | None  # None: an extra column, kept on the card under its header
    strength: float = 0.0  # 2: named on the command line / remembered, 1: config synonym or
    # strong header word, 0.6: weak header word, 0: found by its cells alone
    share: float = 0.0  # sample cells that passed the role's test
    whose: str = "own"  # own | alternate | other (person roles)
    why: str = ""  # "header", "cells", "map", "remembered", "synonym"


@dataclass
class Assignment:
    columns: list[Column]
    choices: list[Choice]
    subject: str = ""  # who the rows are about, from the name column's qualifier

    def columns_for(self, role: str, whose: str | None = None) -> list[Column]:
        return [
            col
            for col, ch in zip(self.columns, self.choices, strict=True)
            if ch.role == role and (whose is None or ch.whose == whose)
        ]


def header_roles(header: Header, roles: RoleSet) -> list[tuple[Role, float, int]]:
    """Roles whose words the header has: (role, strength 1.0 strong / 0.6 weak, length of the
    word found), in the RoleSet's order. The banner cell of a two-row header is read only when
    the header itself names nothing (本人 under 联系方式)."""
    found = _matches(header.bare, roles)
    if not found and header.group:
        found = _matches(header.words, roles)
    return found


def _matches(text: str, roles: RoleSet) -> list[tuple[Role, float, int]]:
    if not text:
        return []
    found = []
    for role in roles.roles:
        if role.avoid is not None and role.avoid.search(text):
            continue
        for pattern, strength in ((role.strong, 1.0), (role.weak, 0.6)):
            if pattern is not None and (m := pattern.search(text)):
                found.append((role, strength, len(m.group(0))))
                break
    return found


def assign(
    columns: list[Column],
    roles: RoleSet,
    forced: dict[int, str] | None = None,
    synonyms: Callable[[Header], str | None] | None = None,
) -> Assignment:
    """Give each column a role from its header and cells. ``forced``: column index -> role (the
    command line's --map, a remembered layout); ``synonyms``: the config's [columns] lists, a
    strong hint that still gives way to --map."""
    forced = forced or {}
    choices: list[Choice] = []
    for col in columns:
        if col.index in forced:
            role = roles.get(forced[col.index])
            share = col.share(role) if role is not None else 0.0
            choices.append(Choice(forced[col.index], 2.0, share, why="map"))
            continue
        if roles.get("address_part") is not None and address_part_in_notes(col.header):
            choices.append(Choice("address_part", 1.0, why="header"))  # 现居住地址（省）
            continue
        hinted = synonyms(col.header) if synonyms else None
        if hinted is not None:
            role = roles.get(hinted)
            share = col.share(role) if role is not None else 0.0
            choices.append(Choice(hinted, 1.0, share, why="synonym"))
            continue
        choices.append(_by_header_and_cells(col, roles))
    found = Assignment(columns, choices)
    _settle_people(found, roles)
    _settle_arrivals(found)
    _one_each(found, roles)
    return found


def _by_header_and_cells(col: Column, roles: RoleSet) -> Choice:
    matches = header_roles(col.header, roles)
    # a strong word beats a weak one; among equals the cells decide (号码 over phone numbers is
    # a phone, over IDs an ID), then the RoleSet's order (most specific first)
    ranked = sorted(enumerate(matches), key=lambda m: (-m[1][1], -col.share(m[1][0]), m[0]))
    for _, (role, strength, _length) in ranked:
        if role.refute is not None and _refuted(col, role):
            continue  # 来源 over 微信, APP, 网页: the channel a form came through
        share = col.share(role)
        passed, total = col.count(role)
        if role.test is not None and strength < 1.0 and total and not passed:
            continue  # a weak word the cells contradict (名称 over 社区工作站)
        if role.test is not None and total >= 3:
            if strength < 1.0 and share < role.need:
                continue  # a weak word the cells do not bear out (号码 over car plates)
            if share < 0.2 and _better_by_cells(col, roles, role):
                break  # 紧急联系人 over a column of phone numbers: the cells decide below
        return Choice(role.name, strength, share, why="header")
    if not col.header.empty and not matches:
        # an unknown header: kept as an extra column, unless its cells are plainly phones
        if col.cells and col.share(PHONE) >= 0.8 and len(col.cells) >= 3:
            return Choice(None, 0.0, col.share(PHONE), why="cells")
        return Choice(None)
    best: tuple[float, Role] | None = None
    for role in roles.roles:
        if not role.by_content or role.test is None:
            continue
        passed, total = col.count(role)
        if not total:
            continue
        share = passed / total
        if share >= max(role.need, 0.6) and (best is None or share > best[0]):
            best = (share, role)
    if best is None:
        return Choice(None)
    return Choice(best[1].name, 0.0, best[0], why="cells")


def _refuted(col: Column, role: Role) -> bool:
    test = role.refute
    cells = col.cells
    return test is not None and len(cells) >= 3 and sum(map(test, cells)) / len(cells) >= 0.5


def _settle_arrivals(found: Assignment) -> None:
    """An arrival is recent: its cells lie within ARRIVAL_DAYS before the list's latest date
    (or are written without a year, as this season's days are). Of several columns named like
    an arrival the most recent wins; one alone whose dates are mostly years old (a hire date, a
    birth date) is no arrival either. Either way the column stays on the card under its own
    header."""
    cols = [
        (col, ch)
        for col, ch in zip(found.columns, found.choices, strict=True)
        if ch.role == "arrival" and ch.strength < 2.0
    ]
    if not cols:
        return
    cap = date.today() + timedelta(days=366)  # a typo's year 2062 is not the list's date
    days = [d for col in found.columns for c in col.cells if (d := day_of(c)) and d <= cap]
    if not days:
        return
    latest = max(days)
    start, end = latest - timedelta(days=ARRIVAL_DAYS), latest + timedelta(days=31)
    for col, ch in cols:
        dated = [(day_of(c), yearless(c)) for c in col.cells]
        dated = [(d, y) for d, y in dated if d is not None or y]
        if len(dated) < 3:
            continue
        recent = sum(1 for d, y in dated if y or (d is not None and start <= d <= end))
        ch.share = recent / len(dated)
        known = sorted(d for d, _ in dated if d is not None)
        old = bool(known) and known[len(known) // 2] < latest - timedelta(days=365)
        if ch.share < 0.2 and old:
            ch.role, ch.why = None, "cells"


def _better_by_cells(col: Column, roles: RoleSet, than: Role) -> bool:
    return any(
        r is not than and r.by_content and r.test is not None and col.share(r) >= 0.8
        for r in roles.roles
    )


def _settle_people(found: Assignment, roles: RoleSet) -> None:
    """Decide whose each person column is: the row's own person (the subject, named by the
    name column) or somebody else."""
    names = [
        (col, ch) for col, ch in zip(found.columns, found.choices, strict=True) if ch.role == "name"
    ]
    subject = ""
    people: list[str] = []
    if names:
        col, _ = min(names, key=lambda p: (_subject_rank(p[0].header), -p[1].strength, p[0].index))
        subject = subject_of(col.header)
        people = [subject_of(c.header) for c, _ in names if c is not col]
        people = [p for p in people if p and p != subject and not OWN_PERSON.search(p)]
    found.subject = subject
    for col, ch in zip(found.columns, found.choices, strict=True):
        role = roles.get(ch.role) if ch.role else None
        if ch.why == "cells" and ch.role is None and col.share(PHONE) >= 0.8:
            # an unknown header over phone numbers: whose they are, the header's words say
            ch.whose = whose(col.header, None, subject)
            ch.role = "phone" if ch.whose == "other" else None
            continue
        if role is None or not role.person or ch.strength >= 2.0:
            continue
        ch.whose = whose(col.header, role, subject, people) if not col.header.empty else "own"
        if role.name == "name" and ch.whose == "alternate":
            ch.whose = "own"


def _subject_rank(header: Header) -> int:
    """Which name column the rows are about: 姓名 (0) before 学生姓名 (1), before 司机姓名 (2:
    a word that often names someone else), before 押运员姓名, 副驾姓名, 家长姓名 (3: a second
    person of the row)."""
    who = subject_of(header)
    if not who:
        return 0
    if SECONDARY.search(who):
        return 3
    return 2 if OTHER_PERSON.search(who) else 1


def _one_each(found: Assignment, roles: RoleSet) -> None:
    """A single-valued role kept by its best column; the others become extra columns."""
    by_role: dict[str, list[int]] = {}
    for i, ch in enumerate(found.choices):
        if ch.role is None or ch.whose == "other":
            continue
        role = roles.get(ch.role)
        if role is None or role.many:
            continue
        by_role.setdefault(ch.role, []).append(i)
    for role_name, indexes in by_role.items():
        if len(indexes) < 2:
            continue
        # an arrival: a recent one before a better-named one (share = its recent dates)
        recent = (lambda i: found.choices[i].share < 0.5) if role_name == "arrival" else None
        keep = min(
            indexes,
            key=lambda i: (
                recent(i) if recent else False, -found.choices[i].strength,
                -found.choices[i].share, i,
            ),
        )  # fmt: skip
        for i in indexes:
            if i != keep:
                found.choices[i].role = None


def sample_columns(
    headers: Sequence[Header], rows: Sequence[Sequence[object]], first_col: int = 0
) -> list[Column]:
    """Columns with their sample cells (blank cells left out)."""
    from callroom.importer.header import column_letter

    columns = [Column(i, column_letter(first_col + i), h) for i, h in enumerate(headers)]
    for row in rows:
        for i, value in enumerate(row[: len(columns)]):
            if value is None or value == "" or (isinstance(value, str) and not value.strip()):
                continue
            columns[i].cells.append(value)
    return columns
