"""Refusals of the store the caller screen can meet (StoreError.text(lang)), beyond store.py's."""

STRINGS: dict[str, dict[str, str]] = {
    "storeerr.busy": {
        "zh": "数据库一直被占用(可能正在导入或备份), 请稍后再试",
        "en": "the database stayed busy (an import or a backup?); try again in a moment",
    },
    "storeerr.not_own_number": {
        "zh": "这个号码不是任务#{id}的居民本人号码",
        "en": "that number is not one of task #{id}'s resident's own",
    },
}
