"""The report as text, from a Report built by hand: every figure where the lead reads it, the
narrow layouts (a split tmux pane, the group chat on a phone) and the cell arithmetic that keeps
CJK columns aligned. The CLI tests (test_reports_figures.py) read the 80-column table of a real
day; these pin the rules that one width and one day cannot reach."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from rich.cells import cell_len

from callroom import report_text as rt
from callroom.config import Config, load_config
from callroom.reports import BatchProgress, CallerRow, Rates, Report


@pytest.fixture(scope="module")
def en() -> Config:
    return replace(load_config(), lang="en")


@pytest.fixture(scope="module")
def zh() -> Config:
    return replace(load_config(), lang="zh")


def rates(**kw: object) -> Rates:
    base: dict[str, object] = dict(
        complete=3, refusal=1, non_contact=2, other=0, unknown=1, not_eligible=0,
        response=0.4286, cooperation=0.75, refusal_rate=0.1429, contact=0.5714, verified=3,
        verified_rate=0.25, matched=2, match_rate=0.1667,
    )  # fmt: skip
    base.update(kw)
    return Rates(**base)  # type: ignore[arg-type]


def batch(name: str, total: int, done: int, **kw: object) -> BatchProgress:
    base: dict[str, object] = dict(
        id=1, name=name, total=total, done=done, verified=0, by_state={}, deadline=None,
        minutes_left=None,
    )  # fmt: skip
    base.update(kw)
    return BatchProgress(**base)  # type: ignore[arg-type]


def report(**kw: object) -> Report:
    """Two lists, 12 tasks, 7 done (3 verified, 1 already tested by data, 1 by a call, ...)."""
    slots = [0] * 48
    slots[16], slots[17], slots[19] = 2, 4, 1  # 08:00 2 calls, 08:30 4, 09:30 1
    base: dict[str, object] = dict(
        at="2026-11-02 10:05:30",
        day="2026-11-02",
        batches=[
            batch(
                "1102名单",
                10,
                6,
                verified=2,
                minutes_left=-75,
                matched_data=1,
                matched_call=1,
                match_rate=0.2,
                by_state={"pending": 1, "retry": 2, "callback": 1},
            ),
            batch(
                "加急",
                2,
                1,
                id=2,
                verified=1,
                minutes_left=90,
                by_state={"pending": 1, "field_visit": 0},
            ),
        ],
        total=12,
        done=7,
        verified=3,
        # the total row's counts: each person once (here no row is linked, so the lists' sum)
        by_state={"pending": 2, "retry": 2, "callback": 1, "done": 7},
        ended={"verified": 3, "already_tested": 2, "refused": 1, "field_visit": 1},
        calls_by_outcome={"verified": 3, "already_tested": 1, "no_answer": 2, "refused": 1},
        calls=7,
        rates=rates(),
        callers=[
            CallerRow("alice", 4, 2, 3.96, "on_card", None, None, 3, talk_seconds=3900),
            CallerRow("bob", 3, 1, 1.5, "idle", None, None, None, talk_seconds=59),
        ],
        slots=slots,
        counts={"urgent": 2, "overdue": 4, "callbacks_due": 0, "field_visits": 1, "refused": 1},
        urgent_wait={"count": 3, "median": 7.5, "p90": 35.4, "max": 36.6},
        matched_data=1,
        matched_call=1,
        saved_today=1,
    )
    base.update(kw)
    return Report(**base)  # type: ignore[arg-type]


def text(lines: list[tuple[str, str]]) -> list[str]:
    return [line for line, _ in lines]


# ---------------------------------------------------------------------------------------------
# the shared formats: the lead pane prints the same


def test_rates_and_shares_as_the_lead_reads_them() -> None:
    assert (rt.pct(0.2534), rt.pct(0.0), rt.pct(1.0)) == ("25.3%", "0.0%", "100.0%")
    assert (rt.share(0.344), rt.share(0.0), rt.share(1.0)) == ("34%", "0%", "100%")


@pytest.mark.parametrize(
    ("minutes", "en", "zh"),
    [
        (0, "0m", "0分"),
        (59, "59m", "59分"),
        (60, "1h00", "1h00"),
        (61, "1h01", "1h01"),
        (605, "10h05", "10h05"),
        (1439, "23h59", "23h59"),
        (1440, "1d0h", "1天0时"),
        (1501, "1d1h", "1天1时"),  # 25 h 1 min: days and hours, the minutes dropped
        (3 * 1440 + 5 * 60 + 59, "3d5h", "3天5时"),
        (-75, "1h15", "1h15"),  # how late is said by due(), the span is never negative
    ],
)
def test_span_in_both_languages(minutes: int, en: str, zh: str) -> None:
    assert rt.span(minutes, "en") == en
    assert rt.span(minutes, "zh") == zh


def test_due_left_late_and_none() -> None:
    assert rt.due(None, "en") == "-"
    assert rt.due(0, "en") == "0m left"  # due this minute is not late yet
    assert rt.due(90, "en") == "1h30 left"
    assert rt.due(-1, "en") == "late 1m"
    assert rt.due(-1500, "en") == "late 1d1h"
    assert (rt.due(45, "zh"), rt.due(-45, "zh")) == ("剩45分", "超时45分")


def test_wait_line_rounds_each_figure_and_is_empty_without_waits() -> None:
    rep = report()
    assert rt.wait_text(rep, "en") == "Urgent wait (min): median 8  p90 35  max 37  n=3"
    rep.urgent_wait = {}
    assert rt.wait_text(rep, "en") == ""


# ---------------------------------------------------------------------------------------------
# cells: a CJK character is two columns, and is never cut in half


def test_fold_cuts_at_the_width_in_cells_never_inside_a_character() -> None:
    assert rt.fold("abcdef", 4) == ["abcd", "ef"]
    assert rt.fold("abcd", 4) == ["abcd"]
    assert rt.fold("一二三", 4) == ["一二", "三"]
    assert rt.fold("一二三", 3) == ["一", "二", "三"]
    assert rt.fold("abcde", 0) == ["ab", "cd", "e"]  # at least two cells: a CJK char fits
    assert rt.fold("", 5) == [""]


def test_wrap_breaks_at_spaces_else_anywhere() -> None:
    assert rt.wrap("aa bb cc", 5) == ["aa bb", "cc"]
    assert rt.wrap("aa bb cc", 8) == ["aa bb cc"]
    assert rt.wrap("aa bbbbbbb c", 4) == ["aa", "bbbb", "bbb", "c"]
    assert rt.wrap("深圳市福田区香蜜湖", 6) == ["深圳市", "福田区", "香蜜湖"]
    assert rt.wrap("", 5) == [""]


def test_pad_measures_cells() -> None:
    assert rt.pad("一", 4) == "一  "
    assert rt.pad("一", 4, right=True) == "  一"
    assert rt.pad("abcdef", 4) == "abcdef"  # never cut
    assert rt.cells("一a") == 3


def test_flow_puts_items_side_by_side_then_on_new_lines() -> None:
    assert rt.flow(["aaa", "bbb", "ccc"], 8) == ["aaa  bbb", "ccc"]
    assert rt.flow(["aaa", "bbb", "ccc"], 13) == ["aaa  bbb  ccc"]
    assert rt.flow(["aaa", "bbb"], 9, indent=" ") == [" aaa  bbb"]
    assert rt.flow(["aaa", "bbb"], 8, indent=" ") == [" aaa", " bbb"]
    # an item longer than the line is wrapped; the next one goes after its last piece
    assert rt.flow(["aa bb cc dd", "e"], 6) == ["aa bb", "cc dd", "e"]
    assert rt.flow(["x", "aa bb cc"], 5) == ["x", "aa bb", "cc"]
    # wrapped into three pieces: the first two on lines of their own, the next item after the third
    assert rt.flow(["aa bb cc dd ee ff", "g"], 5) == ["aa bb", "cc dd", "ee ff", "g"]
    assert rt.flow(["aa bb cc dd ee", "g"], 5) == ["aa bb", "cc dd", "ee  g"]
    assert rt.flow([], 10) == []


def test_grid_aligns_numbers_right_and_folds_the_first_column() -> None:
    header = ["Name", "n", "%"]
    rows = [["甲乙", "5", "50%"], ["a long list name", "12", "100%"]]
    assert rt.grid(header, rows, 80) == [
        "Name               n     %",
        "甲乙               5   50%",
        "a long list name  12  100%",
    ]
    # 20 columns: the numbers keep their 2 + 4 cells and the gaps, the names fold into the 10
    # cells left
    assert rt.grid(header, rows, 20) == [
        "Name         n     %",
        "甲乙         5   50%",
        "a long      12  100%",
        "list name",
    ]
    # the first column never narrower than 6, even when the numbers take the whole width
    assert rt.grid(header, rows, 4)[2:] == ["a long  12  100%", "list", "name"]
    # a folded name leaves no space at the end of a line (the report is pasted into chats)
    assert rt.grid(["n", "1"], [["aaaa bbbbb  cc", "1"]], 9) == [
        "n       1",
        "aaaa    1",
        "bbbbb",
        "cc",
    ]
    # lines under each row (not under the header)
    assert rt.grid(["a", "b"], [["x", "1"], ["y", "2"]], 80, below=[["  x1"], ["  y1", "  y2"]]) == [
        "a  b",
        "x  1",
        "  x1",
        "y  2",
        "  y1",
        "  y2",
    ]  # fmt: skip


# ---------------------------------------------------------------------------------------------
# the terminal table


def test_the_whole_table_at_80_columns(en: Config) -> None:
    assert text(rt.table_lines(report(), en)) == [
        "Progress 2026-11-02 10:05",
        "Lists imported on 2026-11-02 and lists still open",
        "",
        "List      Done    %  Verified  Tested        Due  new  retry  cb  visit",
        "1102名单  6/10  60%       20%     20%  late 1h15    1      2   1      0",
        "加急       1/2  50%       50%      0%  1h30 left    1      0   0      0",
        "Total     7/12  58%       25%     17%               2      2   1      0",
        "",
        "Outcomes: 7 done, by how they ended",
        "                     Done  Calls 11-02",
        "Verified                3            3",
        "Already tested          2            1",
        "No answer               0            2",
        "Busy                    0            0",
        "Powered off             0            0",
        "Dead number             0            0",
        "Refused                 1            1",
        "Wrong person            0            0",
        "Left the city           0            0",
        "Call back               0            0",
        "Sent to field visit     1            0",
        "Total                   7            7",
        "",
        "Rates",
        "Match rate 16.7% (2/12: data 1, phone 1)  Calls saved today 1",
        "Verified 25.0% (3/12)  Response RR1 42.9%  Cooperation COOP1 75.0%",
        "Refusal REF1 14.3%  Contact CON1 57.1%",
        "",
        "Callers",
        "Caller  Calls  Done  /hour     Status  For     Talk",
        "alice       4     2    4.0  on a card   3m  1:05:00",
        "bob         3     1    1.5       idle    -     0:59",
        "",
        "Calls/30 min (a column a half hour, its calls under it; most 4)",
        "4 |   ##",
        "  |   ##",
        "  |## ##",
        "  |## ##    ##",
        "  +---------------",
        "   2  4  0  1  0",
        "   08:00 09:00 10:00",
        "Priority waiting 2  Overdue 4  Callbacks due 0  Field visits 1",
        "Refused/wrong person 1",
        "Urgent wait (min): median 8  p90 35  max 37  n=3",
    ]


def test_the_lists_table_in_chinese(zh: Config) -> None:
    lines = text(rt.table_lines(report(), zh))
    start = lines.index("进度 2026-11-02 10:05") + 3
    assert lines[start : start + 4] == [
        "名单      完成    %  核实  匹配      截止  待拨  重拨  回拨  上门",
        "1102名单  6/10  60%   20%   20%  超时1h15     1     2     1     0",
        "加急       1/2  50%   50%    0%    剩1h30     1     0     0     0",
        "合计      7/12  58%   25%   17%               2     2     1     0",
    ]


def test_the_whole_table_in_chinese(zh: Config) -> None:
    assert text(rt.table_lines(report(), zh)) == [
        "进度 2026-11-02 10:05",
        "范围：2026-11-02导入的名单及仍未完成的名单",
        "",
        "名单      完成    %  核实  匹配      截止  待拨  重拨  回拨  上门",
        "1102名单  6/10  60%   20%   20%  超时1h15     1     2     1     0",
        "加急       1/2  50%   50%    0%    剩1h30     1     0     0     0",
        "合计      7/12  58%   25%   17%               2     2     1     0",
        "",
        "结果：已完成 7 件，按结束方式",
        "                 完成件数  通话 11-02",
        "已接通核实              3           3",
        "已做核酸                2           1",
        "无人接听                0           2",
        "占线                    0           0",
        "关机                    0           0",
        "空号/停机               0           0",
        "拒绝配合                1           1",
        "非本人/号码不符         0           0",
        "已离深/不在本市         0           0",
        "约定回拨                0           0",
        "转上门排查              1           0",
        "合计                    7           7",
        "",
        "口径",
        "核酸匹配率 16.7% (2/12，数据1 电话1)  今日匹配免拨 1  核实率 25.0% (3/12)",
        "应答率RR1 42.9%  合作率COOP1 75.0%  拒绝率REF1 14.3%  接触率CON1 57.1%",
        "",
        "拨打员",
        "拨打员  通话  完成  每小时    状态  时长  通话时长",
        "alice      4     2     4.0  拨打中   3分   1:05:00",
        "bob        3     1     1.5    空闲     -      0:59",
        "",
        "每30分钟通话（每列半小时，柱下为通话数，最多4通）",
        "4 |   ##",
        "  |   ##",
        "  |## ##",
        "  |## ##    ##",
        "  +---------------",
        "   2  4  0  1  0",
        "   08:00 09:00 10:00",
        "紧急/重点待拨 2  超时未完成 4  到点回拨 0  待上门 1  拒绝/非本人 1",
        "紧急任务等待(分钟)：中位 8，九成不超过 35，最长 37，共3件",
    ]
    scoped = text(rt.table_lines(report(), zh, batch="加急"))
    assert scoped[1] == "范围：名单 加急"
    assert (
        text(rt.table_lines(report(batches=[]), zh))[2]
        == "没有名单。用 callroom import 名单.xlsx 导入。"
    )
    nobody = text(rt.table_lines(report(callers=[], slots=[0] * 48), zh))
    assert "今天还没有人拨打" in nobody
    assert "每30分钟通话：今天还没有通话" in nobody
    # a narrow pane: the chart keeps its Chinese words, the latest half hours that fit
    slots = [0] * 48
    slots[0], slots[19] = 1, 2
    assert rt.chart_line(report(slots=slots), "zh", 40) == "每30分钟通话  09:30 2 | 10:00 0"


def test_the_open_counts_go_under_the_lists_when_the_row_would_not_fit(en: Config) -> None:
    # the figures and the four counts take 45 cells and 18 of gaps: from 75 columns on, a list
    # name gets its 12 cells and the counts stay on the row
    wide = text(rt.table_lines(report(), en, width=75))
    assert wide[3] == "List      Done    %  Verified  Tested        Due  new  retry  cb  visit"
    narrow = text(rt.table_lines(report(), en, width=74))
    assert narrow[3:6] == [
        "List      Done    %  Verified  Tested        Due",
        "1102名单  6/10  60%       20%     20%  late 1h15",
        "  new 1  retry 2  cb 1  visit 0",
    ]


def test_every_line_fits_the_width_asked_and_80_by_default(en: Config) -> None:
    name = "x" * 85  # a list name with no space to break at: folded
    assert max(cell_len(line) for line in text(rt.table_lines(report(), en, batch=name))) == 80
    for width in (60, 75):
        lines = text(rt.table_lines(report(), en, width=width, batch=name))
        assert max(cell_len(line) for line in lines) == width
    # the scope line folds at the width, never under 40 columns (the tables' figures, never cut,
    # need 48 columns: below that they run over)
    for width in (10, 40, 41):
        lines = text(rt.table_lines(report(), en, width=width, batch=name))
        assert cell_len(lines[2]) == max(40, width)


def test_the_chart_in_a_narrow_table_keeps_the_latest_slots(en: Config) -> None:
    slots = [0] * 48
    slots[0], slots[19] = 1, 2  # a call after midnight and two at 09:30: 21 slots to 10:00
    lines = text(rt.table_lines(report(slots=slots), en, width=40))
    # 40 columns leave room for 12 columns of 3 cells: 04:30 to 10:00; the hour under the last
    # column would run past the width and is left out
    start = lines.index("2 |                              ##")
    assert lines[start - 2 : start + 7] == [
        "Calls/30 min (a column a half hour, its",
        "calls under it; most 2)",
        "2 |                              ##",
        "  |                              ##",
        "  |                              ##",
        "  |                              ##",
        "  +------------------------------------",
        "   0  0  0  0  0  0  0  0  0  0  2  0",
        "   04:30    06:00 07:00 08:00 09:00",
    ]
    assert all(cell_len(line) <= 40 for line in lines[start - 2 : start + 7])


def test_lists_with_no_tasks_yet_are_at_0_percent(en: Config) -> None:
    empty = [batch("a", 0, 0), batch("b", 0, 0, id=2)]
    rep = report(batches=empty, total=0, done=0, verified=0, rates=rates(match_rate=0.0))
    lines = text(rt.table_lines(rep, en))
    assert [line.split()[:5] for line in lines if re.match(r"(a|b|Total) +0/0", line)] == [
        ["a", "0/0", "0%", "0%", "0%"],
        ["b", "0/0", "0%", "0%", "0%"],
        ["Total", "0/0", "0%", "0%", "0%"],
    ]


def test_the_titles_are_bold_and_the_rest_plain(en: Config) -> None:
    lines = rt.table_lines(report(), en)
    bold = [line for line, style in lines if style == "bold"]
    assert bold == ["Progress 2026-11-02 10:05", "Outcomes: 7 done, by how they ended", "Rates",
                    "Callers"]  # fmt: skip
    assert {style for _, style in lines} == {"", "bold"}


def test_a_narrow_terminal_puts_the_open_counts_under_each_list(en: Config) -> None:
    lines = text(rt.table_lines(report(), en, width=50))
    assert all(cell_len(line) <= 50 for line in lines)
    start = lines.index("List      Done    %  Verified  Tested        Due")
    assert lines[start : start + 7] == [
        "List      Done    %  Verified  Tested        Due",
        "1102名单  6/10  60%       20%     20%  late 1h15",
        "  new 1  retry 2  cb 1  visit 0",
        "加急       1/2  50%       50%      0%  1h30 left",
        "  new 1  retry 0  cb 0  visit 0",
        "Total     7/12  58%       25%     17%",
        "  new 2  retry 2  cb 1  visit 0",
    ]
    # under 40 columns the table is laid out for 40
    assert text(rt.table_lines(report(), en, width=20)) == text(
        rt.table_lines(report(), en, width=40)
    )


def test_one_list_has_no_total_row_and_a_list_scope_names_it(en: Config) -> None:
    rep = report(batches=[batch("加急", 2, 1, verified=1)], total=2, done=1)
    lines = text(rt.table_lines(rep, en, batch="加急"))
    assert lines[1] == "List 加急"
    assert not any(re.match(r"Total +\d+/\d+", line) for line in lines)
    assert any(re.match(r"加急 +1/2 ", line) for line in lines)


def test_an_empty_day_says_so_and_stops(en: Config) -> None:
    rep = report(batches=[], total=0, done=0)
    assert text(rt.table_lines(rep, en)) == [
        "Progress 2026-11-02 10:05",
        "Lists imported on 2026-11-02 and lists still open",
        "No lists. Load one with: callroom import LIST.xlsx",
    ]


def test_nobody_called_yet(en: Config) -> None:
    rep = report(callers=[], slots=[0] * 48)
    lines = text(rt.table_lines(rep, en))
    assert "Nobody has called today" in lines
    assert "Calls/30 min: no calls yet today" in lines


def test_the_chart_keeps_the_latest_slots_on_a_narrow_terminal(en: Config) -> None:
    rep = report()
    # from 08:00 to 10:00 (the current slot), each half hour with its count
    assert (
        rt.chart_line(rep, "en", 80)
        == "Calls/30 min  08:00 2 | 08:30 4 | 09:00 0 | 09:30 1 | 10:00 0"
    )
    # 'Calls/30 min  ' is 14 cells, a half hour 7 and ' | ' 3: 50 columns hold the latest 3
    assert rt.chart_line(rep, "en", 50) == "Calls/30 min  09:00 0 | 09:30 1 | 10:00 0"
    assert rt.chart_line(rep, "en", 35) == "Calls/30 min  09:30 1 | 10:00 0"
    # no room at all: the current slot alone, still with its time
    assert rt.chart_line(rep, "en", 10) == "Calls/30 min  10:00 0"


def test_a_whole_day_of_calls_is_cut_to_80_columns_by_default(en: Config) -> None:
    slots = [0] * 48
    slots[0], slots[47] = 10, 10  # 48 half hours: the latest that fit in 80 columns
    rep = report(at="2026-11-02 23:59:00", slots=slots)
    line = rt.chart_line(rep, "en")
    assert line == "Calls/30 min  " + "".join(f"{h}:00 0 | {h}:30 0 | " for h in (21, 22)) + (
        "23:00 0 | 23:30 10"
    )
    assert len(line) == 72  # one more half hour would take 82
    # the report's bars: 25 columns of 3 cells after '10 |', 11:30 to 23:30
    lines = rt.chart_lines(rep, "en")
    assert max(len(line) for line in lines) == 79
    assert lines[-2].split() == ["0"] * 24 + ["10"]
    assert lines[-1].split()[0] == "11:30" and lines[-1].split()[-1] == "23:00"


def test_a_chart_starting_on_the_half_hour(en: Config) -> None:
    slots = [0] * 48
    slots[17] = 3
    rep = report(slots=slots)
    assert rt.chart_line(rep, "en") == "Calls/30 min  08:30 3 | 09:00 0 | 09:30 0 | 10:00 0"
    # the bars' hours: where the chart begins (08:30), then each hour with room (09:00 would
    # touch 08:30)
    assert rt.chart_lines(rep, "en")[-2:] == ["   3  0  0  0", "   08:30    10:00"]


def test_the_chart_runs_to_the_current_half_hour(en: Config) -> None:
    slots = [0] * 48
    slots[16] = 1
    # read at 10:30: the slots from 08:00 to 10:30, six of them
    assert rt.chart_line(report(at="2026-11-02 10:30:00", slots=slots), "en") == (
        "Calls/30 min  08:00 1 | 08:30 0 | 09:00 0 | 09:30 0 | 10:00 0 | 10:30 0"
    )
    assert rt.chart_line(report(at="2026-11-02 10:29:59", slots=slots), "en") == (
        "Calls/30 min  08:00 1 | 08:30 0 | 09:00 0 | 09:30 0 | 10:00 0"
    )


def test_the_chart_runs_to_the_last_call_after_now(en: Config) -> None:
    slots = [0] * 48
    slots[16], slots[23] = 1, 2  # a call logged at 11:30 read at 10:05 (a clock set back)
    rep = report(slots=slots)
    # the line keeps the latest six that fit in 80 columns, the bars all eight
    assert rt.chart_line(rep, "en") == (
        "Calls/30 min  09:00 0 | 09:30 0 | 10:00 0 | 10:30 0 | 11:00 0 | 11:30 2"
    )
    assert rt.chart_lines(rep, "en")[-2:] == [
        "   1  0  0  0  0  0  0  2",
        "   08:00 09:00 10:00 11:00",
    ]


def test_caller_rows(en: Config) -> None:
    header, rows = rt.caller_table(report(), "en")
    assert header == ["Caller", "Calls", "Done", "/hour", "Status", "For", "Talk"]
    assert rows == [
        ["alice", "4", "2", "4.0", "on a card", "3m", "1:05:00"],  # H:MM:SS from an hour
        ["bob", "3", "1", "1.5", "idle", "-", "0:59"],  # M:SS under an hour, not 0:00
    ]
    long_talk = report(callers=[CallerRow("c", 1, 0, 1.0, "paused", None, None, 70,
                                          talk_seconds=10 * 3600 + 9 * 60 + 59)])  # fmt: skip
    assert rt.caller_table(long_talk, "zh")[1] == [
        ["c", "1", "0", "1.0", "暂停", "1h10", "10:09:59"]
    ]
    hour = report(callers=[CallerRow("d", 1, 0, 1.0, "idle", None, None, 5, talk_seconds=3600)])
    assert rt.caller_table(hour, "en")[1][0][-1] == "1:00:00"


# ---------------------------------------------------------------------------------------------
# how the done tasks ended


def test_ended_rows_add_up_and_put_unknown_codes_before_the_done_states(en: Config) -> None:
    rep = report(
        ended={
            "verified": 2,
            "old_code": 1,
            "duplicate": 1,
            "field_visit_done": 1,
            "field_visit": 1,
        },
        calls_by_outcome={"verified": 2, "another": 3},
        done=6,
        calls=5,
    )
    rows = rt.ended_rows(rep, en)
    codes = [code for code, *_ in rows]
    outcome_codes = [o.code for o in en.outcomes]
    assert codes == [
        *outcome_codes, "old_code", "another", "field_visit_done", "field_visit", "duplicate",
    ]  # fmt: skip
    assert sum(n for *_, n, _ in rows) == rep.done
    assert sum(calls for *_, calls in rows) == rep.calls
    by_code = {code: (label, n, calls) for code, label, n, calls in rows}
    assert by_code["old_code"] == ("old_code", 1, 0)  # a code no longer configured: its code
    assert by_code["another"] == ("another", 0, 3)
    assert by_code["verified"] == ("Verified", 2, 2)
    # the done states nobody reached are left out; outcomes are listed even at 0
    rows = rt.ended_rows(report(ended={"verified": 1}, calls_by_outcome={}), en)
    assert [code for code, *_ in rows] == outcome_codes
    assert by_code["busy"] == ("Busy", 0, 0)


# ---------------------------------------------------------------------------------------------
# the group chat


def test_the_chat_message_field_by_field(en: Config, zh: Config) -> None:
    assert rt.chat_text(report(), en) == (
        "Progress 11-02 10:05\n"
        "1102名单\n"
        " done 6/10 (60%)  tested 2 (20%)\n"
        " verified 2 (20%)  late 1h15\n"
        "加急\n"
        " done 1/2 (50%)  tested 0 (0%)\n"
        " verified 1 (50%)  1h30 left\n"
        "Total\n"
        " done 7/12 (58%)  tested 2 (17%)\n"
        " verified 3 (25%)\n"
        "matched by data 1, phone 1\n"
        "Calls saved today 1\n"
        "Overdue 4  Priority waiting 2\n"
        "Field visits 1\n"
    )
    message = rt.chat_text(report(), zh)
    assert message.startswith("【进度】11-02 10:05\n1102名单\n 完成 6/10 (60%)  核酸匹配 2 (20%)\n")
    assert all(cell_len(line) <= rt.CHAT_WIDTH for line in message.splitlines())


def test_the_chat_message_in_chinese(zh: Config) -> None:
    assert rt.chat_text(report(), zh) == (
        "【进度】11-02 10:05\n"
        "1102名单\n"
        " 完成 6/10 (60%)  核酸匹配 2 (20%)\n"
        " 核实 2 (20%)  超时1h15\n"
        "加急\n"
        " 完成 1/2 (50%)  核酸匹配 0 (0%)\n"
        " 核实 1 (50%)  剩1h30\n"
        "合计\n"
        " 完成 7/12 (58%)  核酸匹配 2 (17%)\n"
        " 核实 3 (25%)\n"
        "匹配来源：数据1 电话1  今日匹配免拨 1\n"
        "超时未完成 4  紧急/重点待拨 2  待上门 1\n"
    )
    assert rt.chat_text(report(batches=[]), zh) == (
        "【进度】11-02 10:05\n没有名单。用 callroom import 名单.xlsx\n导入。\n"
    )


def test_the_chat_of_lists_with_no_tasks_yet(zh: Config) -> None:
    empty = [batch("a", 0, 0), batch("b", 0, 0, id=2)]
    rep = report(batches=empty, total=0, done=0, verified=0, matched_data=0, matched_call=0,
                 rates=rates(match_rate=0.0))  # fmt: skip
    assert rt.chat_text(rep, zh).splitlines()[7:10] == [
        "合计",
        " 完成 0/0 (0%)  核酸匹配 0 (0%)",
        " 核实 0 (0%)",
    ]


def test_the_chat_leaves_out_what_does_not_apply(en: Config) -> None:
    done = batch("1102名单", 3, 3, verified=3, minutes_left=-30)  # finished late: no due
    rep = report(batches=[done], total=3, done=3, verified=3, matched_data=0, matched_call=0)
    assert rt.chat_text(rep, en) == (
        "Progress 11-02 10:05\n"
        "1102名单\n"
        " done 3/3 (100%)  tested 0 (0%)\n"
        " verified 3 (100%)\n"
        "Overdue 4  Priority waiting 2\n"
        "Field visits 1\n"
    )
    assert rt.chat_text(report(batches=[]), en) == (
        "Progress 11-02 10:05\nNo lists. Load one with: callroom import\nLIST.xlsx\n"
    )


# ---------------------------------------------------------------------------------------------
# csv


def test_csv_rows_one_figure_a_row(en: Config) -> None:
    header, rows = rt.csv_rows(report(), en)
    assert header == ["Section", "Item", "Count", "Of", "Share (%)"]
    by: dict[str, list[list[object]]] = {}
    for row in rows:
        by.setdefault(row[0], []).append(row[1:])
    assert by["List done"] == [["1102名单", 6, 10, 60.0], ["加急", 1, 2, 50.0],
                               ["Total", 7, 12, 58.3]]  # fmt: skip
    assert by["List verified"] == [["1102名单", 2, 10, 20.0], ["加急", 1, 2, 50.0]]
    assert by["List match rate"] == [["1102名单", 2, 10, 20.0], ["加急", 0, 2, 0.0],
                                     ["Total", 2, 12, 16.7]]  # fmt: skip
    assert by["Match source"] == [
        ["matched by data", 1, 2, 50.0], ["confirmed by phone", 1, 2, 50.0],
        ["calls saved today", 1, "", ""],
    ]  # fmt: skip
    assert by["Ended as"][:3] == [["Verified", 3, 7, 42.9], ["Already tested", 2, 7, 28.6],
                                  ["No answer", 0, 7, 0.0]]  # fmt: skip
    assert by["Calls"][:3] == [["Verified", 3, 7, 42.9], ["Already tested", 1, 7, 14.3],
                               ["No answer", 2, 7, 28.6]]  # fmt: skip
    assert by["Ended as"][-1] == ["Sent to field visit", 1, 7, 14.3]
    assert by["Rate"] == [
        ["Match rate", "", "", 16.7], ["Verified", "", "", 25.0], ["Response RR1", "", "", 42.9],
        ["Cooperation COOP1", "", "", 75.0], ["Refusal REF1", "", "", 14.3],
        ["Contact CON1", "", "", 57.1],
    ]  # fmt: skip
    assert by["Caller calls"] == [["alice", 4, 7, 57.1], ["bob", 3, 7, 42.9]]
    assert by["To act on"] == [
        ["Priority waiting", 2, "", ""], ["Overdue", 4, "", ""], ["Callbacks due", 0, "", ""],
        ["Field visits", 1, "", ""], ["Refused/wrong person", 1, "", ""],
    ]  # fmt: skip
    # the sections in the order a spreadsheet reader scrolls them
    assert list(dict.fromkeys(row[0] for row in rows)) == [
        "List done", "List verified", "List match rate", "Match source", "Ended as", "Calls",
        "Rate", "Caller calls", "To act on",
    ]  # fmt: skip


def test_csv_shares_of_nothing_are_zero(en: Config) -> None:
    empty = batch("空", 0, 0)
    rep = report(batches=[empty], total=0, done=0, calls=0, matched_data=0, matched_call=0,
                 ended={}, calls_by_outcome={}, callers=[])  # fmt: skip
    _, rows = rt.csv_rows(rep, en)
    shares = {(r[0], r[1]): r[4] for r in rows}
    assert shares[("List done", "空")] == 0.0
    assert shares[("List match rate", "Total")] == 0.0
    assert shares[("Match source", "matched by data")] == 0.0
    assert shares[("Ended as", "Verified")] == 0.0
