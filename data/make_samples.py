"""Write the synthetic sample lists in this folder (deterministic; run again after editing).

    python data/make_samples.py

Every name, phone and ID number here is made up. The lists imitate what the district sends:
an .xlsx with a merged title row above the header and mixed phone formats, and yesterday's
GB18030 CSV (Excel's plain "CSV" on Chinese Windows) with other column names and ~15% of the
same phones.
"""

from __future__ import annotations

import csv
import random
from datetime import date, datetime, timedelta
from pathlib import Path

import xlsxwriter

HERE = Path(__file__).resolve().parent
TODAY_XLSX = HERE / "1122风险地区推送名单.xlsx"
ROSTER_XLSX = HERE / "roster" / "重点人群白名单.xlsx"
YESTERDAY_CSV = HERE / "1121货车司机名单.csv"
# the health system's tests (callroom results import): in a folder of their own, not a list
RESULTS_XLSX = HERE / "results" / "1122核酸检测结果.xlsx"
SITES = ("福田区莲花社康采样点", "景田北社康采样点", "福田区人民医院采样点", "香蜜湖街道采样亭")

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = ("伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰",
         "娟", "涛", "明", "超", "秀兰", "霞", "平", "刚", "桂英", "建华", "志强", "海燕", "子涵",
         "浩然", "欣怡", "宇轩")  # fmt: skip
PLACES = ("北京市朝阳区", "上海市浦东新区", "广州市白云区", "东莞市长安镇", "成都市武侯区",
          "香港特别行政区", "西安市雁塔区", "武汉市洪山区", "郑州市金水区", "重庆市渝中区")  # fmt: skip
STREETS = ("景田北路", "莲花路", "福中三路", "深南大道", "益田路", "新洲路", "彩田路", "红荔路")
ESTATES = ("景田小区", "莲花北村", "福田花园", "益田村", "新洲花园", "彩田村")
PREFIXES = ("138", "139", "135", "186", "177", "150", "188", "159", "131", "199")
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(rng: random.Random, born: date) -> str:
    first = f"440304{born:%Y%m%d}{rng.randrange(100, 999):03d}"
    return first + "10X98765432"[sum(int(d) * w for d, w in zip(first, WEIGHTS, strict=True)) % 11]


def person(rng: random.Random, i: int) -> dict[str, object]:
    age = rng.choice((3, 5, 28, 34, 41, 45, 52, 67, 72, 80)) if i % 4 == 0 else rng.randint(18, 60)
    born = date(2026 - age, rng.randint(1, 12), rng.randint(1, 28))
    return {
        "name": rng.choice(SURNAMES) + rng.choice(GIVEN),
        "mobile": rng.choice(PREFIXES) + f"{rng.randrange(10**8):08d}",
        "id": id_number(rng, born),
        "place": rng.choice(PLACES),
        "address": f"福田区{rng.choice(STREETS)}{rng.choice(ESTATES)}{rng.randint(1, 30)}栋"
        f"{rng.randint(1, 33)}{rng.randint(1, 8):02d}",
    }


def phone_cell(rng: random.Random, mobile: str, i: int) -> object:
    """The ways a phone arrives: number cells, +86, dashes, full-width, two numbers."""
    form = i % 9
    if form == 0:
        return float(mobile)  # a number cell: 13812345678.0
    if form == 1:
        return f"+86 {mobile[:3]}-{mobile[3:7]}-{mobile[7:]}"
    if form == 2:
        return mobile.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if form == 3:
        return f"{mobile}，{rng.choice(PREFIXES)}{rng.randrange(10**8):08d}"
    if form == 4:
        return f"{mobile[:3]} {mobile[3:7]} {mobile[7:]}"
    return mobile


def sample_people() -> list[dict[str, object]]:
    rng = random.Random(20261122)
    return [person(rng, i) for i in range(140)]


def write_roster(people: list[dict[str, object]]) -> None:
    """The community's standing roster of vulnerable residents (白名单): three compounds, each
    written once over its block of rows (a merged cell), 8 of today's list among them."""
    rng = random.Random(20261101)
    compounds = ("景田小区", "莲花北村", "福田花园")
    kinds = ("独居老人", "高龄老人、卧床", "孕妇(孕28周)", "婴幼儿", "肢体残疾", "慢性病(透析)",
             "老人", "其他")  # fmt: skip
    known = people[60:140:10]  # on today's list too: their cards show the roster line
    strangers = [person(rng, i) for i in range(16)]
    ROSTER_XLSX.parent.mkdir(exist_ok=True)
    wb = xlsxwriter.Workbook(str(ROSTER_XLSX))
    ws = wb.add_worksheet("白名单")
    title = wb.add_format({"bold": True, "align": "center", "font_size": 14})
    middle = wb.add_format({"valign": "vcenter"})
    header = ["序号", "小区", "楼栋", "单元", "房号", "姓名", "联系电话", "身份证号", "人员类别",
              "备注"]  # fmt: skip
    ws.merge_range(
        0, 0, 0, len(header) - 1, "福田区某某社区重点人群白名单（2026年11月更新）", title
    )
    for col, text in enumerate(header):
        ws.write(2, col, text)
    residents = [*known, *strangers]
    row, n = 3, 0
    for c, compound in enumerate(compounds):
        block = residents[c::3]
        if len(block) > 1:
            ws.merge_range(row, 1, row + len(block) - 1, 1, compound, middle)
        else:
            ws.write(row, 1, compound)
        for i, p in enumerate(block):
            n += 1
            values = [n, None, f"{rng.randint(1, 12)}栋", f"{rng.randint(1, 3)}单元",
                      f"{rng.randint(1, 30)}{rng.randint(1, 4):02d}", p["name"], p["mobile"],
                      p["id"], kinds[(n + c) % len(kinds)], "家属代接" if i == 1 else ""]  # fmt: skip
            for col, value in enumerate(values):
                if value is None:
                    continue
                if col in (6, 7):  # phone and ID as text, as the community keeps them
                    ws.write_string(row, col, str(value))
                else:
                    ws.write(row, col, value)
            row += 1
    wb.close()


def main() -> None:
    rng = random.Random(20261122)
    people = [person(rng, i) for i in range(140)]
    yesterday = people[:80]
    today = people[60:140]  # 20 of today's 80 were on yesterday's list too
    notes = {3: "孕妇，孕28周", 8: "独居老人，听力不好", 15: "住院中，家属代接", 22: "密接，加急",
             30: "夜班，白天休息", 41: "本人不在深，由家属接听"}  # fmt: skip

    # today's list: merged title, a date line, the real header on row 4
    wb = xlsxwriter.Workbook(str(TODAY_XLSX))
    ws = wb.add_worksheet("推送名单")
    bold = wb.add_format({"bold": True, "align": "center", "font_size": 14})
    when = wb.add_format({"num_format": "yyyy/m/d h:mm"})
    header = [
        "序号",
        "姓名",
        "联系电话",
        "身份证号",
        "来源地",
        "抵深时间",
        "现居住地址",
        "交通方式",
        "备注",
    ]
    ws.merge_range(
        0, 0, 0, len(header) - 1, "福田区某某街道2026年11月22日风险地区来深人员排查名单", bold
    )
    ws.write(1, 0, "下发时间：2026年11月22日 09:30  请于当日18:00前反馈")
    for col, text in enumerate(header):
        ws.write(3, col, text)
    row = 4
    for i, p in enumerate(today):
        arrival: object
        if i % 3 == 0:
            arrival = datetime(2026, 11, 20 + i % 2, 8 + i % 12, 30)
        elif i % 3 == 1:
            arrival = f"11月{19 + i % 3}日"
        else:
            arrival = f"11-{19 + i % 3} {9 + i % 10}:00"
        ident: object = p["id"]
        if i % 17 == 5:
            ident = float(str(p["id"])[:17] + "0")  # typed as a number: Excel kept 15 digits
        values = [i + 1, p["name"], phone_cell(rng, str(p["mobile"]), i), ident, p["place"],
                  arrival, p["address"], rng.choice(("高铁", "自驾", "飞机", "大巴")),
                  notes.get(i, "")]  # fmt: skip
        for col, value in enumerate(values):
            if isinstance(value, datetime):
                ws.write_datetime(row, col, value, when)
            else:
                ws.write(row, col, value)
        row += 1
    # what district lists also contain: a repeated row, a landline, a HK number, bad numbers
    extras = [
        ["", today[7]["name"], today[7]["mobile"], "", "", "", "", "", "重复推送"],
        ["", "深圳某某物流公司", "0755-26543210转8001", "", "东莞市长安镇", "11月21日", "福田区车公庙", "货车", ""],
        ["", "陈家明", "+852 9123 4567", "", "香港特别行政区", "11月21日", "福田区皇岗口岸", "步行", ""],
        ["", "刘某", "1381234567", "", "广州市白云区", "11月20日", "", "", "号码少一位"],
        ["", "赵某", "#N/A", "", "成都市武侯区", "11月20日", "", "", ""],
    ]  # fmt: skip
    for values in extras:
        for col, value in enumerate(values):
            ws.write(row, col, value)
        row += 1
    ws.write(row + 1, 0, "合计")
    wb.close()

    # yesterday's list: GB18030 CSV, header on the first line, other column names
    with YESTERDAY_CSV.open("w", encoding="gb18030", newline="") as f:
        out = csv.writer(f)
        out.writerow(["序号", "名字", "手机号", "证件号码", "途经地", "到达时间", "住址", "车牌号"])
        base = date(2026, 11, 21)
        for i, p in enumerate(yesterday):
            plate = f"粤B{rng.randrange(10000, 99999)}" if i % 2 else ""
            arrival = (base - timedelta(days=i % 3)).strftime("%Y/%m/%d")
            mobile = str(p["mobile"])
            phone = mobile if i % 5 else f"0086{mobile}"
            out.writerow(
                [i + 1, p["name"], phone, p["id"], p["place"], arrival, p["address"], plate]
            )
    write_roster(people)
    write_results(today)
    print(
        f"wrote {TODAY_XLSX.name}, {YESTERDAY_CSV.name}, roster/{ROSTER_XLSX.name}"
        f" and results/{RESULTS_XLSX.name}"
    )


def write_results(today: list[dict[str, object]]) -> None:
    """The morning's test-result export: a quarter of today's list tested since arriving (their
    tasks close), some only before arriving (the card says so), strangers, a positive, a row
    without a test time."""
    rng = random.Random(20261121)
    RESULTS_XLSX.parent.mkdir(exist_ok=True)
    wb = xlsxwriter.Workbook(str(RESULTS_XLSX))
    ws = wb.add_worksheet("核酸检测结果")
    when = wb.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    ws.write(0, 0, "福田区核酸检测结果明细（2026-11-22 08:00 导出）")
    header = ["序号", "受检者姓名", "证件号码", "手机号码", "采样时间", "采样点", "检测结果"]
    for col, text in enumerate(header):
        ws.write(1, col, text)
    rows: list[list[object]] = []
    for i, p in enumerate(today):
        if i % 4 == 1:  # tested after arriving (arrivals are 11-19 .. 11-21)
            rows.append([p["name"], p["id"] if i % 8 == 1 else "", p["mobile"],
                         datetime(2026, 11, 21, 9 + i % 8, 15), rng.choice(SITES), "阴性"])  # fmt: skip
        elif i % 7 == 3:  # tested only before arriving
            rows.append([p["name"], p["id"], "", datetime(2026, 11, 15, 10, 0), rng.choice(SITES),
                         "阴性"])  # fmt: skip
    for _ in range(20):  # residents on no list
        stranger = person(rng, 1)
        rows.append([stranger["name"], stranger["id"], stranger["mobile"],
                     datetime(2026, 11, 21, 14, 0), rng.choice(SITES), "阴性"])  # fmt: skip
    rows.append([today[11]["name"], "", today[11]["mobile"], datetime(2026, 11, 21, 16, 0),
                 SITES[0], "阳性"])  # fmt: skip
    rows.append(["某某", "", "13800000000", "", SITES[0], "阴性"])  # no test time: rejected
    for n, values in enumerate(rows, 1):
        for col, value in enumerate([n, *values]):
            if isinstance(value, datetime):
                ws.write_datetime(n + 1, col, value, when)
            else:
                ws.write(n + 1, col, value)
    wb.close()


if __name__ == "__main__":
    main()
