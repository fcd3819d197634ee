"""Interface strings in zh and en. One table, looked up by key; a missing key shows the key."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    # task states
    "state.pending": {"zh": "待拨打", "en": "Pending"},
    "state.retry": {"zh": "待重拨", "en": "Retry later"},
    "state.callback": {"zh": "约定回拨", "en": "Callback"},
    "state.done": {"zh": "已完成", "en": "Done"},
    "state.field_visit": {"zh": "转上门排查", "en": "Field visit"},
    "state.duplicate": {"zh": "重复(已核实)", "en": "Duplicate (verified)"},
    "state.linked": {"zh": "重复(处理中)", "en": "Linked to open task"},
    # flags
    "flag.urgent": {"zh": "紧急", "en": "URGENT"},
    "flag.elderly": {"zh": "老人", "en": "elderly"},
    "flag.pregnant": {"zh": "孕妇", "en": "pregnant"},
    "flag.child": {"zh": "儿童", "en": "child"},
    "flag.patient": {"zh": "病患", "en": "patient"},
    # CLI
    "cli.status.title": {"zh": "任务状态", "en": "Tasks by state"},
    "cli.status.outcomes": {"zh": "通话结果", "en": "Calls by outcome"},
    "cli.status.batches": {"zh": "名单", "en": "Lists"},
    "cli.col.state": {"zh": "状态", "en": "State"},
    "cli.col.count": {"zh": "数量", "en": "Count"},
    "cli.col.outcome": {"zh": "结果", "en": "Outcome"},
    "cli.col.final": {"zh": "终态任务", "en": "Final (tasks)"},
    "cli.col.calls": {"zh": "通话次数", "en": "Calls"},
    "cli.col.batch": {"zh": "名单", "en": "List"},
    "cli.col.imported": {"zh": "导入时间", "en": "Imported"},
    "cli.col.tasks": {"zh": "任务数", "en": "Tasks"},
    "cli.col.deadline": {"zh": "截止", "en": "Deadline"},
    "cli.total": {"zh": "合计", "en": "Total"},
    "cli.empty": {
        "zh": "数据库中还没有名单。用 callroom import 文件.xlsx 导入。",
        "en": "No lists in the database yet. Load one with: callroom import FILE.xlsx",
    },
    "cli.stale": {
        "zh": "{n} 个任务的领取已过期（会话中断），将自动退回队列。",
        "en": "{n} claims have expired (a session ended); those tasks return to the queue.",
    },
    "cli.init.config": {"zh": "已写入配置文件 {path}", "en": "Wrote config {path}"},
    "cli.init.config_kept": {
        "zh": "配置文件 {path} 已存在，未改动",
        "en": "Config {path} exists; left as it is",
    },
    "cli.init.db": {
        "zh": "数据库就绪：{path}（结构版本 v{v}）",
        "en": "Database ready: {path} (schema v{v})",
    },
}


def t(key: str, lang: str, **values: object) -> str:
    entry = STRINGS.get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry["en"]
    return text.format(**values) if values else text


def state_label(state: str, lang: str) -> str:
    return t(f"state.{state}", lang)
