"""`callroom drill`: the simulated surge day."""

STRINGS: dict[str, dict[str, str]] = {
    "drill.title": {
        "en": "Drill: {tasks} tasks ({share} urgent), {callers} callers, {minutes} min, {order}, "
        "seed {seed}",
        "zh": "演练：{tasks} 个任务（紧急 {share}），{callers} 名拨打员，{minutes} 分钟，{order}，种子 {seed}",
    },
    "drill.urgent_first": {"en": "urgent first", "zh": "紧急优先"},
    "drill.list_order": {"en": "list order", "zh": "按名单顺序"},
    "drill.col.wait": {"en": "Urgent wait (min)", "zh": "紧急任务等待（分钟）"},
    "drill.col.n": {"en": "n", "zh": "数量"},
    "drill.col.median": {"en": "median", "zh": "中位数"},
    "drill.col.p90": {"en": "p90", "zh": "90%分位"},
    "drill.col.max": {"en": "max", "zh": "最长"},
    "drill.until_first": {"en": "until first call", "zh": "到首次拨打"},
    "drill.until_solved": {"en": "until solved", "zh": "到完成"},
    "drill.summary": {
        "en": "calls {calls}, solved by phone {solved}, field visits {visits}, still open {open}, "
        "urgent never called {never}",
        "zh": "通话 {calls}，电话解决 {solved}，转上门 {visits}，未完成 {open}，紧急任务未拨打 {never}",
    },
    "drill.per_hour": {"en": "Solved per hour", "zh": "每小时解决"},
    "drill.hour": {"en": "{h}h", "zh": "{h}时"},
    "drill.bad_share": {
        "en": "--urgent {value}: give a share like 5% or 0.05",
        "zh": "--urgent {value}：请写成 5% 或 0.05 这样的比例",
    },
    "drill.share_range": {
        "en": "--urgent {value}: must be between 0% and 100%",
        "zh": "--urgent {value}：必须在 0% 到 100% 之间",
    },
    "drill.bad_odds": {
        "en": "--odds {value}: write code=share pairs, e.g. verified=0.5,no_answer=0.3",
        "zh": "--odds {value}：请写成“结果代码=比例”，用逗号分隔，例如 verified=0.5,no_answer=0.3",
    },
    "drill.bad_format": {
        "en": "--format {value}: use table or json",
        "zh": "--format {value}：只能是 table 或 json",
    },
    "drill.unknown_odds": {
        "en": "odds name unknown outcomes: {codes} (known: {known})",
        "zh": "比例中有未知的结果代码：{codes}（可用：{known}）",
    },
    "drill.no_odds": {
        "en": "odds must give at least one outcome a positive share",
        "zh": "比例中至少要有一个结果大于 0",
    },
    "drill.at_least_one": {
        "en": "tasks, callers and minutes must be at least 1",
        "zh": "任务数、拨打员人数和分钟数都至少为 1",
    },
    "drill.urgent_share": {
        "en": "the urgent share must be between 0% and 100%",
        "zh": "紧急任务比例必须在 0% 到 100% 之间",
    },
}
