"""Offices of a street on one database: `callroom report --by office` (the coordinator's table)."""

STRINGS: dict[str, dict[str, str]] = {
    "office.title": {
        "en": "Offices ranked by share done, then match rate ({at})",
        "zh": "各社区进度排名（按完成率、核酸匹配率，{at}）",
    },
    "office.none": {"en": "(no office)", "zh": "（未填社区）"},
    "office.empty": {"en": "No lists yet.", "zh": "还没有名单。"},
    "office.col.rank": {"en": "#", "zh": "名次"},
    "office.col.office": {"en": "office", "zh": "社区"},
    "office.col.done": {"en": "done", "zh": "已完成"},
    "office.col.match": {"en": "matched", "zh": "核酸匹配"},
    "office.col.calls": {"en": "calls (callers)", "zh": "今日拨打（人数）"},
    "office.chat_line": {
        "en": "{n}. {office}: done {done}/{total} ({rate}), matched {match}, calls {calls}",
        "zh": "{n}. {office}：完成 {done}/{total}（{rate}），匹配率 {match}，今日拨打 {calls}",
    },
    "office.csv.rank": {"en": "Rank", "zh": "名次"},
    "office.csv.office": {"en": "Office", "zh": "社区"},
    "office.csv.lists": {"en": "Lists", "zh": "名单数"},
    "office.csv.total": {"en": "Tasks", "zh": "任务数"},
    "office.csv.done": {"en": "Done", "zh": "已完成"},
    "office.csv.done_rate": {"en": "Share done", "zh": "完成率"},
    "office.csv.matched": {"en": "Matched", "zh": "已匹配"},
    "office.csv.match_rate": {"en": "Match rate", "zh": "核酸匹配率"},
    "office.csv.calls": {"en": "Calls today", "zh": "今日拨打"},
    "office.csv.callers": {"en": "Callers today", "zh": "今日拨打人数"},
    "office.bad_by": {
        "en": "--by {value}: the report can be split by office only (--by office)",
        "zh": "--by {value}：报表只能按社区分（--by office）",
    },
    "office.by_alone": {
        "en": "--by office ranks whole offices: leave out --batch and --reveal",
        "zh": "--by office 按整个社区排名：请去掉 --batch 和 --reveal",
    },
}
