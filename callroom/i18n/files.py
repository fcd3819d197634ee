"""Writing files (exports, reports, rejects, backups, config): what went wrong and what to do."""

STRINGS: dict[str, dict[str, str]] = {
    "files.disk_full": {
        "en": "{path}: the disk is full; free some space and run the command again "
        "(the previous file, if any, is unchanged)",
        "zh": "{path}：磁盘已满；请清理出空间后重新运行（原有文件未改动）",
    },
    "files.no_permission": {
        "en": "{path}: no permission to write in {folder}; choose another folder with -o "
        "or ask whoever owns it",
        "zh": "{path}：没有在 {folder} 中写文件的权限；请用 -o 换一个目录，或联系该目录的管理者",
    },
    "files.read_only": {
        "en": "{path}: the disk is read-only; write to another folder with -o",
        "zh": "{path}：磁盘只读；请用 -o 写到别的目录",
    },
    "files.no_folder": {
        "en": "{path}: the folder {folder} does not exist; create it or choose another with -o",
        "zh": "{path}：目录 {folder} 不存在；请先创建，或用 -o 换一个目录",
    },
    "files.is_folder": {
        "en": "{path}: is a folder; give a file name",
        "zh": "{path}：这是一个目录；请给出文件名",
    },
    "files.other": {
        "en": "{path}: cannot write the file ({detail}); the previous file, if any, is unchanged",
        "zh": "{path}：无法写入文件（{detail}）；原有文件未改动",
    },
}
