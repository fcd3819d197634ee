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
    # lead pane
    "lead.title": {"zh": "组长进度", "en": "Team lead progress"},
    "lead.refreshed": {
        "zh": "{at} 更新，每 {n} 秒刷新",
        "en": "updated {at}, refreshes every {n} s",
    },
    "lead.no_lists": {
        "zh": "今天还没有名单。用 callroom import 导入。",
        "en": "No lists today. Load one with callroom import.",
    },
    "lead.deadline_left": {"zh": "剩 {t}", "en": "{t} left"},
    "lead.deadline_over": {"zh": "超时 {t}", "en": "overdue {t}"},
    "lead.rates": {
        "zh": "核实率 {verified}  应答率 {rr}  合作率 {coop}  拒绝率 {ref}  接触率 {con}",
        "en": "Matched {verified}  Response {rr}  Coop {coop}  Refusal {ref}  Contact {con}",
    },
    "lead.spark": {"zh": "每30分钟通话", "en": "Calls/30 min"},
    "lead.urgent_wait": {
        "zh": "紧急等待 中位{m}分 最长{x}分",
        "en": "urgent wait median {m}m max {x}m",
    },
    "lead.tab.callers": {"zh": "拨打员", "en": "Callers"},
    "lead.tab.urgent": {"zh": "紧急", "en": "Urgent"},
    "lead.tab.overdue": {"zh": "超时", "en": "Overdue"},
    "lead.tab.callbacks": {"zh": "回拨", "en": "Callbacks"},
    "lead.tab.visits": {"zh": "上门", "en": "Visits"},
    "lead.tab.refused": {"zh": "拒绝", "en": "Refused"},
    "lead.col.caller": {"zh": "拨打员", "en": "Caller"},
    "lead.col.calls": {"zh": "通话", "en": "Calls"},
    "lead.col.completes": {"zh": "完成", "en": "Done"},
    "lead.col.per_hour": {"zh": "每小时", "en": "/hour"},
    "lead.col.status": {"zh": "状态", "en": "Status"},
    "lead.col.since": {"zh": "自", "en": "Since"},
    "lead.col.task": {"zh": "任务", "en": "Task"},
    "lead.col.list": {"zh": "名单", "en": "List"},
    "lead.col.name": {"zh": "姓名", "en": "Name"},
    "lead.col.phone": {"zh": "电话", "en": "Phone"},
    "lead.col.flags": {"zh": "标记", "en": "Flags"},
    "lead.col.waited": {"zh": "已等", "en": "Waited"},
    "lead.col.due": {"zh": "时间", "en": "Due"},
    "lead.col.address": {"zh": "地址", "en": "Address"},
    "lead.col.result": {"zh": "结果/备注", "en": "Result / note"},
    "lead.status.on_card": {"zh": "拨打中", "en": "on a card"},
    "lead.status.paused": {"zh": "暂停", "en": "paused"},
    "lead.status.idle": {"zh": "空闲", "en": "idle"},
    "lead.key.next_tab": {"zh": "切换列表", "en": "Next list"},
    "lead.key.refresh": {"zh": "刷新", "en": "Refresh"},
    "lead.key.raise": {"zh": "设为紧急", "en": "Urgent"},
    "lead.key.reassign": {"zh": "指派", "en": "Assign"},
    "lead.key.reopen": {"zh": "重新打开", "en": "Reopen"},
    "lead.key.visit_done": {"zh": "上门完成", "en": "Visit done"},
    "lead.key.back": {"zh": "返回", "en": "Back"},
    "lead.key.quit": {"zh": "退出", "en": "Quit"},
    "lead.select_task": {
        "zh": "先在任务列表中选中一行",
        "en": "Select a task in one of the task lists first",
    },
    "lead.ask.reassign": {
        "zh": "把任务 #{id} 指派给（拨打员名，留空=所有人）：",
        "en": "Assign task #{id} to (caller name, empty = everyone):",
    },
    "lead.ask.visit": {"zh": "任务 #{id} 上门结果：", "en": "Field visit result for task #{id}:"},
    "lead.done.raise": {"zh": "任务 #{id} 已设为紧急", "en": "Task #{id} is now urgent"},
    "lead.done.reassign": {"zh": "任务 #{id} 已指派给 {to}", "en": "Task #{id} assigned to {to}"},
    "lead.done.reopen": {"zh": "任务 #{id} 已重新打开", "en": "Task #{id} reopened"},
    "lead.done.visit": {"zh": "任务 #{id} 上门已完成", "en": "Task #{id} field visit recorded"},
    "lead.short.pending": {"zh": "待拨", "en": "new"},
    "lead.short.retry": {"zh": "重拨", "en": "retry"},
    "lead.short.callback": {"zh": "回拨", "en": "cb"},
    "lead.short.field_visit": {"zh": "上门", "en": "visit"},
    "lead.everyone": {"zh": "所有人", "en": "everyone"},
    "lead.minutes": {"zh": "{n}分", "en": "{n}m"},
    "prompt.ok": {"zh": "确定", "en": "OK"},
    "prompt.cancel": {"zh": "取消", "en": "Cancel"},
}


def t(key: str, lang: str, **values: object) -> str:
    entry = STRINGS.get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry["en"]
    return text.format(**values) if values else text


def state_label(state: str, lang: str) -> str:
    return t(f"state.{state}", lang)
