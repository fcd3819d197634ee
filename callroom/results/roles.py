"""The columns of a test-results export: the list importer's person roles plus three of its own.

The health system's exports keep to no vocabulary either (`采样时间`, `检测时间`, `报告时间`,
`采样点`, `检测机构`, `检测结果`, `结果`, ...), so each role is found like the list's roles: by its
header words *and* its cells (dates with times; site names; 阴性/阳性 words), through the same
``assign`` (callroom/importer/roles.py).
"""

from __future__ import annotations

import re
import unicodedata

from callroom.importer.roles import (
    ID_NUMBER,
    ID_TYPE,
    NAME,
    NAME_FAMILY,
    NAME_GIVEN,
    PHONE,
    SECRET,
    SERIAL,
    Role,
    RoleSet,
    is_date,
    words,
)
from callroom.invisible import strip_invisible
from callroom.results import INVALID, NEGATIVE, OTHER, PENDING, POSITIVE

_RESULT_WORDS = (
    (NEGATIVE, re.compile(r"^(?:阴性|阴|未检出|-|－|neg(?:ative)?|n)$", re.I)),
    (POSITIVE, re.compile(r"^(?:阳性|阳|检出|\+|＋|pos(?:itive)?|p)$", re.I)),
    (PENDING, re.compile(r"^(?:待出|未出|待检|待检测|检测中|送检|已采样|已送检|pending)$", re.I)),
    (INVALID, re.compile(r"^(?:无效|作废|不合格|invalid|void)$", re.I)),
)
_BRACKETS = re.compile(r"[(（\[【].*?[)）\]】]")
_SITE = re.compile(
    r"医院|卫生|社康|采样|检测|检验|核酸|诊所|门诊|疾控|实验室|hospital|clinic|lab|testing", re.I
)


def result_word(value: object) -> str:
    """A result cell as one of NEGATIVE, POSITIVE, PENDING, INVALID, OTHER, or "" (empty)."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", strip_invisible(str(value))).strip()
    text = _BRACKETS.sub("", text).strip()  # 阴性（-）
    if not text:
        return ""
    for code, pattern in _RESULT_WORDS:
        if pattern.match(text):
            return code
    return OTHER


def is_result(value: object) -> bool:
    return result_word(value) not in ("", OTHER)


def is_test_time(value: object) -> bool:
    """A date, a date and time, or an Excel date cell."""
    return is_date(value)


def is_site(value: object) -> bool:
    """The name of a sampling point or a lab: short text with a word for such a place
    (医院, 社康, 采样, 检测, ...), not an address."""
    if not isinstance(value, str):
        return False
    text = unicodedata.normalize("NFKC", value).strip()
    return 2 <= len(text) <= 60 and bool(_SITE.search(text)) and not is_date(text)


TEST_TIME = Role(
    "test_time",
    strong=words(
        r"采样(时间|日期|时刻)|采集(时间|日期)|检测(时间|日期)|核酸(时间|日期)|送检(时间|日期)|"
        r"test_?(time|date)|sampl(e|ing)_?(time|date)|collect(ed|ion)_?(time|date)"
    ),
    # a report is issued after the sample: a report time counts only when there is no sample time
    weak=words(r"报告(时间|日期)|出具(时间|日期)|结果(时间|日期)|^(时间|日期)$|^(date|time)$"),
    avoid=words(r"出生|生日|birth|有效期|导入|导出|创建|更新|修改|抵|到达|入境|返|登记"),
    test=is_test_time,
    need=0.5,
    by_content=True,  # a column of dates in a results export is its test time
)
SAMPLE_SITE = Role(
    "site",
    strong=words(
        r"采样(点|机构|地点|单位|场所|站|医院)|检测(机构|单位|点|医院|实验室)|送检(单位|机构)|"
        r"采集(点|地点|机构)|sampling_?site|test_?site|(?<![a-z])lab(oratory)?(?![a-z])"
    ),
    weak=words(r"机构|单位|地点|站点|医院|site"),
    avoid=words(r"时间|日期|电话|地址|编号|代码|code"),
    test=is_site,
    need=0.4,
    by_content=True,
)
RESULT = Role(
    "result",
    strong=words(r"检测结果|核酸结果|采样结果|结果|result"),
    avoid=words(r"时间|日期|time|date|单位|机构"),
    test=is_result,
    need=0.5,
    by_content=True,
)
# most specific first, as the list's own RoleSet: 检测机构 is a site, not a name
RESULTS_LIST = RoleSet(
    (SECRET, ID_TYPE, ID_NUMBER, TEST_TIME, SAMPLE_SITE, RESULT, PHONE, NAME_FAMILY, NAME_GIVEN,
     NAME, SERIAL)
)  # fmt: skip
RESULT_FIELDS = ("phone", "id_number", "name", "test_time", "site", "result", "ignore")
