"""The store: refusals and database failures, each saying what to do."""

STRINGS: dict[str, dict[str, str]] = {
    # opening
    "store.missing": {
        "en": "{path}: no database here. Run `callroom init` first (then `callroom import "
        "LIST.xlsx`), point --config at the right callroom.toml, or try `callroom demo`.",
        "zh": "{path}：这里还没有数据库。请先运行 `callroom init`（再用 `callroom import 名单.xlsx` "
        "导入名单），或用 --config 指定正确的 callroom.toml；想先试用可运行 `callroom demo`。",
    },
    "store.schema_new": {
        "en": "{path}: database schema v{found} was written by a newer callroom (this one knows "
        "v{known}); upgrade callroom to open it",
        "zh": "{path}：数据库结构版本 v{found} 由更新版本的 callroom 写入（本程序只认识到 v{known}）；"
        "请升级 callroom 后再打开",
    },
    "store.no_group": {
        "en": "{path}: [general] shared_group names the group {group}, which does not exist on "
        "this machine. Create it (`sudo groupadd {group}`) or fix callroom.toml.",
        "zh": "{path}：[general] shared_group 指定的用户组 {group} 在本机不存在。请先创建"
        "（`sudo groupadd {group}`），或修改 callroom.toml。",
    },
    "store.not_member": {
        "en": "{path}: you ({user}) are not in the group {group} named by [general] shared_group. "
        "Ask an admin to run `sudo usermod -aG {group} {user}`, then log in again.",
        "zh": "{path}：你（{user}）不在 [general] shared_group 指定的用户组 {group} 中。请管理员运行 "
        "`sudo usermod -aG {group} {user}`，然后重新登录。",
    },
    "store.leftover_wal": {
        "en": "{path}: there is no database, but its write log {wal} is still there (the database "
        "was deleted?). Nothing was created. Restore the database (README: Restoring a backup), "
        "or if it is gone for good, move {wal} away and run `callroom init` again.",
        "zh": "{path}：数据库不存在，但它的写入日志 {wal} 还在（数据库被删除了？）。本次没有创建任何文件。"
        "请先恢复数据库（见 README：从备份恢复）；如果确定不要了，把 {wal} 移走后再运行 `callroom init`。",
    },
    # SQLite errors a user can meet
    "store.busy": {
        "en": "the database stayed busy for {seconds} s (an import or a backup may be running); "
        "nothing was written. Try again in a moment.",
        "zh": "数据库持续忙碌了 {seconds} 秒（可能正在导入名单或备份），本次没有写入任何内容。请稍后再试。",
    },
    "store.disk_full": {
        "en": "{path}: the disk is full; nothing was written. Free some space (or ask whoever "
        "runs the machine), then try again.",
        "zh": "{path}：磁盘已满，本次没有写入任何内容。请清理出空间（或联系机器管理员）后再试。",
    },
    "store.read_only": {
        "en": "{path}: the database is read-only for you; nothing was written. Run `callroom "
        "doctor` to see why and who can fix it.",
        "zh": "{path}：你对数据库没有写权限，本次没有写入任何内容。请运行 `callroom doctor` 查看原因和修复办法。",
    },
    "store.read_only_folder": {
        "en": "{path}: callroom cannot create its files in {folder} (the folder is read-only for "
        "you); nothing was written. Run `callroom doctor` to see who can fix it.",
        "zh": "{path}：无法在目录 {folder} 中创建文件（你对该目录没有写权限），本次没有写入任何内容。"
        "请运行 `callroom doctor` 查看修复办法。",
    },
    "store.read_only_disk": {
        "en": "{path}: the disk holding the database is read-only (mounted read-only, or "
        "failing); nothing was written. Tell whoever runs the machine.",
        "zh": "{path}：数据库所在的磁盘是只读的（被挂载为只读，或磁盘故障），本次没有写入任何内容。"
        "请联系机器管理员。",
    },
    "store.cant_open": {
        "en": "{path}: cannot open the database (no permission on the file or on its folder "
        "{folder}, or the disk is gone). Run `callroom doctor`.",
        "zh": "{path}：无法打开数据库（对文件或所在目录 {folder} 没有权限，或磁盘不可用）。请运行 `callroom doctor`。",
    },
    "store.no_permission": {
        "en": "{path}: the system refused access to the database; nothing was written. Run "
        "`callroom doctor`.",
        "zh": "{path}：系统拒绝访问数据库，本次没有写入任何内容。请运行 `callroom doctor`。",
    },
    "store.corrupt": {
        "en": "{path}: the database file is damaged or is not a callroom database. Stop calling, "
        "tell your lead, run `callroom doctor`, and restore the latest backup.",
        "zh": "{path}：数据库文件已损坏，或者不是 callroom 的数据库。请停止拨打并告知组长，运行 "
        "`callroom doctor`，再用最近的备份恢复。",
    },
    "store.io_error": {
        "en": "{path}: the disk reported a read or write error; nothing was written. Tell your "
        "lead and run `callroom doctor`.",
        "zh": "{path}：磁盘读写出错，本次没有写入任何内容。请告知组长并运行 `callroom doctor`。",
    },
    # the database or its write log deleted or replaced under a running session
    "store.db_deleted": {
        "en": "{path} was deleted or moved while callroom was running: nothing more is written. "
        "Stop calling, tell your lead, and run `callroom doctor`.",
        "zh": "{path} 在 callroom 运行期间被删除或移走，之后的结果不会再写入。请停止拨打，告知组长，"
        "并运行 `callroom doctor`。",
    },
    "store.db_deleted_saved": {
        "en": "{path} was deleted or moved while callroom was running: nothing more is written. "
        "Everything recorded up to now is saved in {copy}. Stop calling and tell your lead "
        "(README: Restoring a backup).",
        "zh": "{path} 在 callroom 运行期间被删除或移走，之后的结果不会再写入。此前记录的全部内容已另存为 "
        "{copy}。请停止拨打并告知组长（恢复方法见 README：从备份恢复）。",
    },
    "store.db_replaced": {
        "en": "{path} was replaced by another file while callroom was running: nothing more is "
        "written. Stop calling, tell your lead, and run `callroom doctor`.",
        "zh": "{path} 在 callroom 运行期间被另一个文件替换，之后的结果不会再写入。请停止拨打，告知组长，"
        "并运行 `callroom doctor`。",
    },
    "store.db_replaced_saved": {
        "en": "{path} was replaced by another file while callroom was running: nothing more is "
        "written. Everything this session saw up to now is saved in {copy}. Stop calling and "
        "tell your lead (README: Restoring a backup).",
        "zh": "{path} 在 callroom 运行期间被另一个文件替换，之后的结果不会再写入。本会话此前看到的全部内容"
        "已另存为 {copy}。请停止拨打并告知组长（恢复方法见 README：从备份恢复）。",
    },
    "store.wal_saved": {
        "en": "{wal} (the database's write log) was deleted or replaced while callroom was "
        "running. Everything recorded so far has been written into {path}; this session stops "
        "here. Start callroom again.",
        "zh": "{wal}（数据库的写入日志）在 callroom 运行期间被删除或替换。此前记录的内容已全部写入 "
        "{path}，本会话到此停止。请重新启动 callroom。",
    },
    "store.wal_copy": {
        "en": "{wal} (the database's write log) was deleted or replaced while callroom was "
        "running: nothing more is written. Everything recorded up to now is saved in {copy}. "
        "Stop calling and tell your lead (README: Restoring a backup).",
        "zh": "{wal}（数据库的写入日志）在 callroom 运行期间被删除或替换，之后的结果不会再写入。此前记录的"
        "全部内容已另存为 {copy}。请停止拨打并告知组长（恢复方法见 README：从备份恢复）。",
    },
    "store.wal_lost": {
        "en": "{wal} (the database's write log) was deleted or replaced while callroom was "
        "running: nothing more is written, and the outcomes since the last save to {path} could "
        "not be rescued. Stop calling, tell your lead, and run `callroom doctor`.",
        "zh": "{wal}（数据库的写入日志）在 callroom 运行期间被删除或替换，之后的结果不会再写入，"
        "且上次写入 {path} 之后的结果未能抢救。请停止拨打，告知组长，并运行 `callroom doctor`。",
    },
    # refusals of one operation
    "store.no_task": {"en": "no task #{id}", "zh": "没有编号为 #{id} 的任务"},
    "store.on_screen": {
        "en": "task #{id} is on {who}'s screen right now",
        "zh": "任务 #{id} 此刻正在 {who} 的屏幕上",
    },
    "store.closed": {
        "en": "task #{id} is already closed ({state})",
        "zh": "任务 #{id} 已经结束（{state}）",
    },
    "store.unknown_outcome": {
        "en": "unknown outcome {code!r}",
        "zh": "没有这个通话结果：{code!r}",
    },
    "store.needs_note": {
        "en": "outcome {code!r} ({label}) needs a note",
        "zh": "通话结果“{label}”（{code!r}）需要填写备注",
    },
    "store.callback_time": {"en": "a callback needs a time", "zh": "约定回拨需要填写时间"},
    "store.callback_past": {
        "en": "the callback time must be in the future",
        "zh": "回拨时间必须晚于现在",
    },
    "store.nothing_to_undo": {
        "en": "nothing to undo: only outcomes of the last {seconds} s can be undone",
        "zh": "没有可撤销的记录：只能撤销最近 {seconds} 秒内的结果",
    },
    "store.changed": {
        "en": "task #{id} has changed since; it cannot be undone",
        "zh": "任务 #{id} 之后已被改动，无法撤销",
    },
    "store.reopen_first": {
        "en": "task #{id} is closed; reopen it first",
        "zh": "任务 #{id} 已结束；请先重新打开",
    },
    "store.already_open": {"en": "task #{id} is already open", "zh": "任务 #{id} 本来就未结束"},
    "store.visit_note": {"en": "say what the visit found", "zh": "请填写上门排查的结果"},
    "store.not_visit": {
        "en": "task #{id} is not on the field-visit list",
        "zh": "任务 #{id} 不在上门排查名单中",
    },
}
