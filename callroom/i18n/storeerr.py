"""Refusals of the store the caller screen can meet (StoreError.text(lang))."""

STRINGS: dict[str, dict[str, str]] = {
    "storeerr.busy": {
        "zh": "数据库一直被占用(可能正在导入或备份), 请稍后再试",
        "en": "the database stayed busy (an import or a backup?); try again in a moment",
    },
    "storeerr.held": {
        "zh": "任务#{id}正在{who}的屏幕上",
        "en": "task #{id} is on {who}'s screen right now",
    },
    "storeerr.needs_note": {"zh": "这个结果需要写备注", "en": "this outcome needs a note"},
    "storeerr.closed": {"zh": "任务#{id}已经结束", "en": "task #{id} is already closed"},
    "storeerr.not_own_number": {
        "zh": "这个号码不是任务#{id}的居民本人号码",
        "en": "that number is not one of task #{id}'s resident's own",
    },
    "storeerr.changed": {
        "zh": "任务#{id}之后已被改动, 不能撤销",
        "en": "task #{id} has changed since; it cannot be undone",
    },
    "storeerr.nothing_to_undo": {
        "zh": "没有可撤销的结果: 只能撤销最近{s}秒内记录的结果",
        "en": "nothing to undo: only outcomes of the last {s} s can be undone",
    },
    "storeerr.no_task": {"zh": "没有任务#{id}", "en": "no task #{id}"},
    "storeerr.schedule.no_time": {"zh": "约定回拨需要时间", "en": "a callback needs a time"},
    "storeerr.schedule.past": {
        "zh": "回拨时间必须在将来",
        "en": "the callback time must be in the future",
    },
    "storeerr.schedule.other": {"zh": "无法按此结果处理", "en": "this outcome cannot be applied"},
}
