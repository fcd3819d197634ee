"""`callroom doctor`: the checks, what is wrong, and the command that fixes it."""

STRINGS: dict[str, dict[str, str]] = {
    "doctor.col.check": {"en": "check", "zh": "检查项"},
    "doctor.col.detail": {"en": "detail", "zh": "说明"},
    "doctor.status.ok": {"en": "ok", "zh": "正常"},
    "doctor.status.info": {"en": "info", "zh": "提示"},
    "doctor.status.warn": {"en": "WARN", "zh": "注意"},
    "doctor.status.fail": {"en": "FAIL", "zh": "错误"},
    "doctor.fix_with": {"en": "to fix, run:", "zh": "修复命令："},
    "doctor.check.config": {"en": "config", "zh": "配置"},
    "doctor.check.roles": {"en": "roles", "zh": "角色"},
    "doctor.check.account": {"en": "account", "zh": "账号"},
    "doctor.check.database": {"en": "database", "zh": "数据库"},
    "doctor.check.perm_folder": {"en": "folder", "zh": "目录权限"},
    "doctor.check.perm_db": {"en": "permissions", "zh": "数据库权限"},
    "doctor.check.perm_wal": {"en": "permissions -wal", "zh": "-wal 权限"},
    "doctor.check.perm_shm": {"en": "permissions -shm", "zh": "-shm 权限"},
    "doctor.check.filesystem": {"en": "filesystem", "zh": "文件系统"},
    "doctor.check.integrity": {"en": "integrity", "zh": "完整性"},
    "doctor.check.foreign_keys": {"en": "foreign keys", "zh": "外键"},
    "doctor.check.journal": {"en": "journal", "zh": "日志模式"},
    "doctor.check.wal_size": {"en": "wal size", "zh": "WAL 大小"},
    "doctor.check.schema": {"en": "schema", "zh": "结构版本"},
    "doctor.check.tables": {"en": "tables", "zh": "数据表"},
    "doctor.check.claims": {"en": "stale claims", "zh": "滞留的卡片"},
    "doctor.check.rescued": {"en": "rescued copies", "zh": "抢救副本"},
    "doctor.check.leftovers": {"en": "leftovers", "zh": "残留文件"},
    "doctor.config_ok": {"en": "{path}", "zh": "{path}"},
    "doctor.roles_off": {
        "en": "off: callroom.toml has no [roles], so every caller may do the lead's actions "
        "(raise, reassign, reopen, export, reveal in reports). Name the leads in [roles] leads "
        "or lead_group.",
        "zh": "未启用：callroom.toml 中没有 [roles]，所有人都能执行组长操作（设为紧急、指派、重新打开、"
        "导出、报表显示完整信息）。请在 [roles] 的 leads 或 lead_group 中写明组长。",
    },
    "doctor.roles_on": {
        "en": "on: leads {leads} (lead_group {group})",
        "zh": "已启用：组长 {leads}（组长用户组 {group}）",
    },
    "doctor.lead_group_missing": {
        "en": "[roles] lead_group {group} does not exist on this machine; leads by name: {leads}",
        "zh": "[roles] lead_group 指定的用户组 {group} 在本机不存在；按用户名指定的组长：{leads}",
    },
    "doctor.lead_unknown": {
        "en": "{what}; no Unix account named {names} on this machine",
        "zh": "{what}；本机没有名为 {names} 的 Unix 账号",
    },
    "doctor.no_leads": {"en": "{what}; nobody is a lead", "zh": "{what}；目前没有任何组长"},
    "doctor.no_group": {
        "en": "the shared group {group} ([general] shared_group) does not exist; create it",
        "zh": "共享用户组 {group}（[general] shared_group）不存在；请先创建",
    },
    "doctor.not_member": {
        "en": "you ({user}) are not in the shared group {group}: an admin adds you, then you "
        "log in again",
        "zh": "你（{user}）不在共享用户组 {group} 中：请管理员把你加入该组，然后重新登录",
    },
    "doctor.relogin": {
        "en": "you ({user}) were added to {group} after this login session started: log out "
        "and in again",
        "zh": "你（{user}）是在本次登录之后才被加入 {group} 的：请退出后重新登录",
    },
    "doctor.member": {
        "en": "{user} is in the shared group {group}",
        "zh": "{user} 在共享用户组 {group} 中",
    },
    "doctor.network_fs": {
        "en": "{fs}: SQLite's WAL is unsafe on a network share; keep the database on a local disk",
        "zh": "{fs}：在网络共享盘上使用 SQLite WAL 不安全；请把数据库放在本机磁盘上",
    },
    "doctor.who_fixes": {
        "en": " (only {owner} or an admin can change it)",
        "zh": "（只有 {owner} 或管理员可以修改）",
    },
    "doctor.cannot_use": {
        "en": "you ({user}) cannot read and write {path} (owner {owner}, group {group}, mode "
        "{mode}){who}",
        "zh": "你（{user}）无法读写 {path}（所有者 {owner}，用户组 {group}，权限 {mode}）{who}",
    },
    "doctor.not_shared_folder": {
        "en": "{path} (owner {owner}, group {group}, mode {mode}) must be in group {shared} with "
        "mode {want} (setgid: files created inside belong to {shared}); otherwise the -wal and "
        "-shm files take the primary group of whoever opens the database first{who}",
        "zh": "{path}（所有者 {owner}，用户组 {group}，权限 {mode}）应属于用户组 {shared}、权限 {want}"
        "（setgid：目录中新建的文件自动属于 {shared}）；否则 -wal、-shm 文件会属于最先打开数据库的人的"
        "主用户组{who}",
    },
    "doctor.not_shared_file": {
        "en": "{path} (owner {owner}, group {group}, mode {mode}) must be in group {shared} with "
        "mode {want}; otherwise the other callers cannot write it{who}",
        "zh": "{path}（所有者 {owner}，用户组 {group}，权限 {mode}）应属于用户组 {shared}、权限 "
        "{want}；否则其他拨打员无法写入{who}",
    },
    "doctor.world_writable": {
        "en": "{path} (owner {owner}, group {group}, mode {mode}): anyone on this machine may "
        "delete or replace the database in it{who}",
        "zh": "{path}（所有者 {owner}，用户组 {group}，权限 {mode}）：本机任何人都能删除或替换其中的"
        "数据库{who}",
    },
    "doctor.loose_file": {
        "en": "{path} (owner {owner}, group {group}, mode {mode}): others can read personal "
        "data; it should be {want}{who}",
        "zh": "{path}（所有者 {owner}，用户组 {group}，权限 {mode}）：其他人也能读取个人信息；应为 "
        "{want}{who}",
    },
    "doctor.perm_ok": {
        "en": "{path}: owner {owner}, group {group}, mode {mode}",
        "zh": "{path}：所有者 {owner}，用户组 {group}，权限 {mode}",
    },
    "doctor.busy": {
        "en": "{path} is busy (an import or a backup?); run callroom doctor again in a moment",
        "zh": "{path} 正忙（可能在导入或备份）；请稍后再运行 callroom doctor",
    },
    "doctor.not_checked": {
        "en": "not checked: this account cannot open {path} (see the permissions above)",
        "zh": "未检查：当前账号无法打开 {path}（见上面的权限检查）",
    },
    "doctor.unreadable": {
        "en": "{path} cannot be read ({detail})",
        "zh": "{path} 无法读取（{detail}）",
    },
    "doctor.integrity_ok": {"en": "ok", "zh": "正常"},
    "doctor.integrity_bad": {
        "en": "{path} is damaged ({detail}): stop calling and restore the latest backup "
        "(README: Restoring a backup)",
        "zh": "{path} 已损坏（{detail}）：请停止拨打，用最近的备份恢复（见 README：从备份恢复）",
    },
    "doctor.fk": {"en": "{n} broken references", "zh": "{n} 处引用损坏"},
    "doctor.journal": {"en": "{mode}", "zh": "{mode}"},
    "doctor.wal_size": {"en": "{kib} KiB", "zh": "{kib} KiB"},
    "doctor.schema_new": {
        "en": "v{found} is newer than this callroom (v{known}); upgrade callroom",
        "zh": "v{found} 比本程序支持的 v{known} 新；请升级 callroom",
    },
    "doctor.schema_old": {
        "en": "v{found} (becomes v{known} when callroom next opens it)",
        "zh": "v{found}（callroom 下次打开时会升级到 v{known}）",
    },
    "doctor.schema": {"en": "v{found}", "zh": "v{found}"},
    "doctor.tables": {
        "en": "batches {batches}, tasks {tasks}, attempts {attempts}, events {events}",
        "zh": "名单 {batches}，任务 {tasks}，通话 {attempts}，审计事件 {events}",
    },
    "doctor.claims_ok": {
        "en": "none ({n} cards on callers' screens now)",
        "zh": "无（目前 {n} 张卡片在拨打员屏幕上）",
    },
    "doctor.claims_stale": {
        "en": "{ended} held by sessions that have ended ({listed}), {expired} whose lease ran "
        "out, {live} in use; `callroom doctor --fix` returns them to the queue",
        "zh": "{ended} 张由已结束的会话持有（{listed}），{expired} 张租约已过期，{live} 张正在使用；"
        "运行 `callroom doctor --fix` 可把它们退回队列",
    },
    "doctor.claims_returned": {"en": "{n} returned to the queue", "zh": "{n} 张已退回队列"},
    "doctor.fixed": {"en": "fixed ({commands})", "zh": "已修复（{commands}）"},
    "doctor.fix_failed": {
        "en": "{what}; --fix could not: {why}",
        "zh": "{what}；--fix 未能修复：{why}",
    },
    "doctor.rescued": {
        "en": "{n} rescue copies, the newest {newest}: a database was deleted or replaced under "
        "a running session. If outcomes are missing, see README: Restoring a backup.",
        "zh": "有 {n} 个抢救副本，最新的是 {newest}：曾有数据库在会话运行期间被删除或替换。"
        "如发现结果缺失，请见 README：从备份恢复。",
    },
    "doctor.swept": {
        "en": "removed {n} unfinished copies left by killed backups",
        "zh": "已删除 {n} 个被中断的备份留下的临时文件",
    },
}
