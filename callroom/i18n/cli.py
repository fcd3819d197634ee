"""The command line: status, init and other plain commands."""

STRINGS: dict[str, dict[str, str]] = {
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
