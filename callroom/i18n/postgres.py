"""PostgreSQL as the database: failures in words ({path} is the URL without its password)."""

STRINGS: dict[str, dict[str, str]] = {
    "store.pg_unreachable": {
        "en": "{path}: cannot reach the PostgreSQL server ({detail}). Check that it runs and that "
        "the host and port in [general] database are right; nothing was written.",
        "zh": "{path}：连不上 PostgreSQL 服务器（{detail}）。请确认服务器在运行，且 [general] database "
        "中的主机和端口正确；本次没有写入任何内容。",
    },
    "store.pg_auth": {
        "en": "{path}: the PostgreSQL server refused the login ({detail}). Check the user name and "
        "password (in the URL, ~/.pgpass or PGPASSWORD) with whoever runs the server.",
        "zh": "{path}：PostgreSQL 服务器拒绝登录（{detail}）。请与服务器管理员核对用户名和密码"
        "（写在 URL、~/.pgpass 或 PGPASSWORD 中）。",
    },
    "store.pg_no_database": {
        "en": "{path}: there is no such database on the server ({detail}). Ask whoever runs it "
        "to create it (README: A street office on PostgreSQL), then run `callroom init`.",
        "zh": "{path}：服务器上没有这个数据库（{detail}）。请服务器管理员先创建它（见 README："
        "街道办使用 PostgreSQL），再运行 `callroom init`。",
    },
    "store.pg_no_schema": {
        "en": "{path}: the database has no callroom tables yet. Run `callroom init` once (as the "
        "role that owns the database), then start again.",
        "zh": "{path}：数据库里还没有 callroom 的表。请先（用拥有该数据库的角色）运行一次 "
        "`callroom init`，再重新开始。",
    },
    "store.pg_rights": {
        "en": "{path}: the database role lacks a right ({detail}); nothing was written. "
        "`callroom init` needs a role that owns the database (CREATE DATABASE callroom OWNER "
        "callroom) or has CREATE and USAGE on its schema; callers need SELECT, INSERT, UPDATE "
        "and DELETE on the tables and USAGE on their sequences (README: A street office).",
        "zh": "{path}：数据库角色缺少权限（{detail}），本次没有写入任何内容。`callroom init` 需要拥有"
        "该数据库的角色（CREATE DATABASE callroom OWNER callroom），或对其 schema 有 CREATE 和 USAGE "
        "权限；呼叫员需要对各表有 SELECT、INSERT、UPDATE、DELETE 权限，对序列有 USAGE 权限"
        "（见 README：街道办）。",
    },
    "store.pg_disk_full": {
        "en": "{path}: the PostgreSQL server's disk is full ({detail}); nothing was written. "
        "Tell whoever runs the server.",
        "zh": "{path}：PostgreSQL 服务器磁盘已满（{detail}），本次没有写入任何内容。请通知服务器管理员。",
    },
    "store.pg_read_only": {
        "en": "{path}: the PostgreSQL server only allows reading (a standby?) ({detail}); nothing "
        "was written. Point [general] database at the primary server.",
        "zh": "{path}：这台 PostgreSQL 服务器只读（备库？）（{detail}），本次没有写入任何内容。"
        "请把 [general] database 指向主库。",
    },
    "store.pg_missing_driver": {
        "en": "[general] database is a PostgreSQL URL, but psycopg is not installed. Install the "
        "extra: pip install 'callroom[postgres]'",
        "zh": "[general] database 是 PostgreSQL 地址，但没有安装 psycopg。请安装：pip install "
        "'callroom[postgres]'",
    },
    "doctor.check.connection": {"en": "connection", "zh": "数据库连接"},
    "doctor.check.files": {"en": "files", "zh": "文件"},
    "doctor.pg_connected": {
        "en": "{url}: PostgreSQL {server}, reached",
        "zh": "{url}：PostgreSQL {server}，连接正常",
    },
    "doctor.pg_files_skipped": {
        "en": "file checks (modes, shared group, filesystem, integrity, write log) skipped: the "
        "database lives on the PostgreSQL server, which looks after its own files",
        "zh": "已跳过文件检查（权限、共享用户组、文件系统、完整性、写入日志）：数据库在 PostgreSQL "
        "服务器上，由服务器自己管理文件",
    },
    "backup.pg_dump": {
        "en": "The database is on PostgreSQL: callroom does not copy it. Back it up with the "
        "server's own tool (it asks for the password, or reads ~/.pgpass), for example:\n"
        "  {command}\nRestore with pg_restore (README: A street office on PostgreSQL).",
        "zh": "数据库在 PostgreSQL 上，callroom 不复制它。请用服务器自带的工具备份（会询问密码，"
        "或读取 ~/.pgpass），例如：\n  {command}\n恢复用 pg_restore（见 README：街道办使用 PostgreSQL）。",
    },
    "res.purge_vacuum": {
        "en": "Note: a caller's session was reading the results, so their table could not be "
        "rewritten yet (VACUUM FULL); run the purge again when everyone has quit to clear it",
        "zh": "注意：有拨打员正在读取检测结果，结果表暂未重写（VACUUM FULL）；所有人退出后再运行一次即可彻底清除",
    },
}
