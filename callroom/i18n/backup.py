"""`callroom backup`: what was written, and what went wrong."""

STRINGS: dict[str, dict[str, str]] = {
    "backup.done": {
        "en": "Backup written: {path} ({tasks} tasks, {size} KiB), checked whole.",
        "zh": "备份已写入：{path}（{tasks} 个任务，{size} KiB），已检查完整。",
    },
    "backup.exists": {
        "en": "{path}: already exists; choose another name or add --force to replace it",
        "zh": "{path}：文件已存在；请换一个文件名，或加 --force 覆盖",
    },
    "backup.is_live": {
        "en": "{path}: that is the live database itself; give the backup another name",
        "zh": "{path}：这就是正在使用的数据库本身；请给备份另起一个文件名",
    },
    "backup.no_folder": {
        "en": "{path}: the folder {folder} does not exist; create it or choose another",
        "zh": "{path}：目录 {folder} 不存在；请先创建，或换一个目录",
    },
    "backup.disk_full": {
        "en": "{path}: the disk is full; no backup was written (nothing partial is left). Free "
        "some space or write the backup to another disk.",
        "zh": "{path}：磁盘已满，备份没有写入（也没有留下残缺文件）。请清理出空间，或把备份写到别的磁盘。",
    },
    "backup.no_permission": {
        "en": "{path}: no permission to write in {folder}; choose another folder or ask whoever "
        "owns it",
        "zh": "{path}：没有在 {folder} 中写文件的权限；请换一个目录，或联系该目录的管理者",
    },
    "backup.damaged": {
        "en": "{path}: the copy failed its integrity check, so it was not kept; run `callroom "
        "doctor`",
        "zh": "{path}：备份副本未通过完整性检查，已丢弃；请运行 `callroom doctor`",
    },
    "backup.failed": {
        "en": "{path}: the backup could not be written ({detail}); nothing partial is left",
        "zh": "{path}：备份写入失败（{detail}），没有留下残缺文件",
    },
}
