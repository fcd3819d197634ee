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
    "cli.col.key": {"zh": "按键", "en": "Key"},
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
    "cli.init.shared": {
        "zh": "共享用户组 {group}：目录 {folder} 为 2770（setgid），数据库文件为 0660。"
        "每位拨打员用自己的账号登录后运行 callroom 即可；用 `callroom doctor` 检查权限。",
        "en": "Shared group {group}: {folder} is 2770 (setgid) and the database 0660. Each "
        "caller logs in with their own account and runs callroom; `callroom doctor` checks "
        "the permissions.",
    },
    "cli.init.bad_group": {
        "zh": "--shared-group 需要一个 Unix 用户组名，例如 --shared-group callers",
        "en": "--shared-group needs a Unix group name, e.g. --shared-group callers",
    },
    "cli.init.group_differs": {
        "zh": "{path} 中的 [general] shared_group 是 {current}，与 --shared-group {group} 不同；"
        "请直接修改 {path} 后再运行 callroom init",
        "en": "[general] shared_group in {path} is {current}, not {group}; edit {path} and run "
        "callroom init again",
    },
    "cli.interrupted": {
        "zh": "已中断，未完成的操作没有写入任何内容。",
        "en": "Interrupted; nothing of the unfinished operation was written.",
    },
    "cli.usage.no_command": {"zh": "没有 {name} 这个命令。", "en": "No such command {name}."},
    "cli.usage.no_option": {"zh": "没有 {name} 这个选项。", "en": "No such option {name}."},
    "cli.usage.missing": {"zh": "缺少 {name}。", "en": "Missing {name}."},
    "cli.usage.bad_value": {
        "zh": "{name} 的值无效{detail}。",
        "en": "Invalid value for {name}{detail}.",
    },
    "cli.usage.other": {"zh": "命令的写法不对{detail}。", "en": "Wrong command line{detail}."},
    "cli.usage.suggest": {"zh": "你是不是想用：{names}？", "en": " Did you mean {names}?"},
    "cli.usage.help": {
        "zh": "用 `{command} --help` 查看用法。",
        "en": "Try `{command} --help` for help.",
    },
}
