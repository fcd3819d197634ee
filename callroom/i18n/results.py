"""Test results: `callroom results`, their import messages and rejected rows, the match."""

STRINGS: dict[str, dict[str, str]] = {
    # import refusals (importer Msg keys)
    "imp_msg.results_no_person": {
        "en": "{where}: {header}, but no column holds an ID number or the person's phone, by "
        "its header or its cells:\n{shown}\nName one by its letter or header, e.g. "
        "--map 'C=id_number' or --map 'D=phone'",
        "zh": "{where}：{header}，但表头文字和单元格内容都看不出哪一列是身份证号或本人电话：\n{shown}\n"
        "请用列字母或表头指定，例如 --map 'C=id_number' 或 --map 'D=phone'",
    },
    "imp_msg.results_no_time": {
        "en": "{where}: {header}, but no column holds the test time (采样时间, 检测时间, ...), "
        "by its header or its cells:\n{shown}\nName it by its letter or header, e.g. "
        "--map 'E=test_time'",
        "zh": "{where}：{header}，但表头文字和单元格内容都看不出哪一列是采样/检测时间：\n{shown}\n"
        "请用列字母或表头指定，例如 --map 'E=test_time'",
    },
    "imp_msg.results_no_sheet": {
        "en": "{path}: no sheet holds test results (an ID number or phone, and a test time):\n"
        "  {problems}",
        "zh": "{path}：没有哪个工作表是核酸结果（需有身份证号或电话，以及采样时间）：\n  {problems}",
    },
    "imp_msg.results_not_sheet": {
        "en": "{where}: no test results in it",
        "zh": "{where}：不是核酸结果",
    },
    "imp_msg.results_nothing": {
        "en": "{path}: none of its {rows} rows has a valid ID number or phone and a test time; "
        "why each was refused is in {rejects}",
        "zh": "{path}：{rows} 行里没有一行同时有有效的身份证号或电话和采样时间；每行被拒收的原因见 {rejects}",
    },
    # rejected rows
    "reject.result_no_person": {
        "en": "no valid ID number or phone",
        "zh": "无有效身份证号或电话",
    },
    "reject.result_id_damaged": {
        "en": "ID number damaged by Excel and no phone",
        "zh": "身份证号被Excel损坏且无电话",
    },
    "reject.result_no_time": {"en": "no test time", "zh": "无采样时间"},
    "reject.result_future": {"en": "test time in the future", "zh": "采样时间晚于今天"},
    # store refusals
    "results.not_matched": {
        "en": "task #{id} has no matched test to close it with (or was closed meanwhile)",
        "zh": "任务 #{id} 没有可用于结案的核酸记录（或已被他人处理）",
    },
    "results.not_yours": {
        "en": "task #{id} is on another caller's screen",
        "zh": "任务 #{id} 正在其他拨打员的屏幕上",
    },
    # config
    "cfg.p.codes": {
        "en": 'must be a list of outcome codes like ["already_tested"]',
        "zh": '必须是结果代码的列表，例如 ["already_tested"]',
    },
    "cfg.results_outcome": {
        "en": "{source}: [results] confirmed_outcomes names {code}, which is no outcome "
        "(known: {known})",
        "zh": "{source}：[results] confirmed_outcomes 中的 {code} 不是已有的通话结果（可用：{known}）",
    },
    # the list import's summary
    "imp.tested": {"zh": "已有核酸记录", "en": "Already tested"},
    "imp.tested_hint": {
        "zh": "抵深后已做核酸（数据匹配），免拨",
        "en": "tested since arriving (matched by data): not called",
    },
    "imp_msg.results_match_later": {
        "en": "the list is in, but matching it against the test results failed; run "
        "`callroom results match` in a moment",
        "zh": "名单已导入，但与核酸结果比对未完成；请稍后运行 callroom results match",
    },
    # callroom results
    "res.none": {
        "zh": "还没有导入核酸结果（callroom results import 文件）",
        "en": "No test results imported yet (callroom results import FILE)",
    },
    "res.files": {"zh": "核酸结果文件（最近 20 个）", "en": "Test-result files (the last 20)"},
    "res.col.file": {"zh": "文件", "en": "File"},
    "res.col.imported": {"zh": "导入", "en": "Imported"},
    "res.col.new": {"zh": "新增", "en": "New"},
    "res.col.held": {"zh": "现存", "en": "Held"},
    "res.incomplete": {"zh": "未完成，请重新导入同一文件", "en": "incomplete: import it again"},
    "res.span": {"zh": "采样日期 {first} 至 {last}", "en": "tested {first} to {last}"},
    "res.totals": {
        "zh": "共 {n} 条核酸结果，{span}；数据匹配结案 {matched} 件",
        "en": "{n} test results held, {span}; {matched} tasks closed by matching",
    },
    "res.title": {"zh": "核酸结果 {name}", "en": "Test results {name}"},
    "res.dry_title": {"zh": "核酸结果 {name}（试运行）", "en": "Test results {name} (dry run)"},
    "res.columns": {"zh": "识别的列", "en": "Columns"},
    "res.field.phone": {"zh": "电话", "en": "phone"},
    "res.field.id_number": {"zh": "证件号", "en": "ID"},
    "res.field.name": {"zh": "姓名", "en": "name"},
    "res.field.test_time": {"zh": "采样时间", "en": "test time"},
    "res.field.site": {"zh": "采样点", "en": "site"},
    "res.field.result": {"zh": "结果", "en": "result"},
    "res.new": {"zh": "新增结果", "en": "New results"},
    "res.new_hint": {"zh": "库里原来没有的检测", "en": "tests not held before"},
    "res.known": {"zh": "已有结果", "en": "Already held"},
    "res.known_hint": {
        "zh": "之前导入过的同一次检测，未重复保存",
        "en": "the same tests from an earlier export: not added twice",
    },
    "res.repeated": {"zh": "文件内重复", "en": "Repeated in the file"},
    "res.repeated_hint": {
        "zh": "同一人同一时间同一采样点",
        "en": "same person, test time and site",
    },
    "res.unmatched": {"zh": "未对应待拨任务", "en": "Matching no open task"},
    "res.unmatched_hint": {
        "zh": "不在任何未完成名单上的人（或其任务已结案）",
        "en": "people on no open list (or whose task is closed)",
    },
    "res.positive": {"zh": "阳性结果", "en": "Positive results"},
    "res.positive_hint": {
        "zh": "从不用于结案；请按区里要求上报",
        "en": "never used to close a task; report them as the district requires",
    },
    "res.unclear": {"zh": "结果无法识别", "en": "Results not understood"},
    "res.unclear_hint": {
        "zh": "既非阴性也非阳性或待出，不用于结案",
        "en": "neither negative, positive nor pending: not used to close a task",
    },
    "res.damaged_hint": {
        "zh": "按电话匹配",
        "en": "matched by phone instead",
    },
    "res.again": {
        "zh": "同一文件已于 {at} 导入过（#{id}）：没有新增内容，这不是错误",
        "en": "The same file was imported at {at} (#{id}): nothing new was added; this is no error",
    },
    "res.nothing": {
        "zh": "未写入任何数据：改正后重新运行同一命令即可",
        "en": "Nothing was written: run the same command again once it is fixed",
    },
    "res.match": {
        "zh": "数据匹配：{n} 件任务抵深后已做核酸，已结案，无需拨打",
        "en": "Matched: {n} tasks tested since arriving, closed, not to be called",
    },
    "res.match_dry": {
        "zh": "数据匹配：{n} 件任务将结案（抵深后已做核酸）",
        "en": "Matched: {n} tasks would be closed (tested since arriving)",
    },
    "res.held": {
        "zh": "其中 {n} 件正在拨打员屏幕上：卡片会提示，按 t 结案",
        "en": "{n} of them are on a caller's screen: the card says so, t closes it",
    },
    "res.before": {
        "zh": "{n} 件只有抵深前的检测记录：仍需拨打（卡片上显示上次检测）",
        "en": "{n} tasks were tested only before arriving: still to call (the card shows the "
        "last test)",
    },
    "res.positive_tasks": {
        "zh": "{n} 件抵深后检测结果为阳性：不结案，仍需处理",
        "en": "{n} tasks have a positive test since arriving: not closed, still to handle",
    },
    "res.unclear_tasks": {
        "zh": "{n} 件抵深后的检测结果无法识别：不结案",
        "en": "{n} tasks have only tests since arriving whose result is not understood: not closed",
    },
    "res.bad_date": {
        "zh": "--before {value}：请写成 YYYY-MM-DD，例如 2026-11-01",
        "en": "--before {value}: write the day as YYYY-MM-DD, e.g. 2026-11-01",
    },
    "res.purge_lead_only": {
        "zh": "删除核酸结果仅限组长（callroom.toml 的 [roles]）；账号 {login} 不是组长",
        "en": "purging test results is for leads only ([roles] in callroom.toml); account "
        "{login} is not a lead",
    },
    "res.purge_none": {
        "zh": "没有 {day} 之前采样的核酸结果，未删除任何数据",
        "en": "No test results tested before {day}: nothing deleted",
    },
    "res.purge_ask": {
        "zh": "永久删除 {day} 之前采样的 {n} 条核酸结果？",
        "en": "Delete the {n} test results tested before {day} for good?",
    },
    "res.purge_confirm_off": {
        "zh": "将永久删除 {day} 之前采样的 {n} 条核酸结果；确认请加 --yes",
        "en": "this deletes the {n} test results tested before {day} for good; add --yes to "
        "confirm",
    },
    "res.purge_kept": {"zh": "未删除任何数据", "en": "Nothing deleted"},
    "res.purged": {
        "zh": "已永久删除 {day} 之前采样的 {n} 条核酸结果（安全删除）；{tasks} 件已结案任务保持结案，"
        "其采样时间和采样点随之删除",
        "en": "Deleted {n} test results tested before {day} for good (secure delete); {tasks} "
        "tasks they closed stay closed, their test time and site gone with them",
    },
    "res.purge_wal": {
        "zh": "注意：有拨打员正在读取数据库，{path}-wal 暂未清空；所有人退出后再运行一次即可彻底清除",
        "en": "Note: a caller's session was reading, so {path}-wal still holds old pages; run "
        "the purge again when everyone has quit to clear it",
    },
    # the match rate in the report, the chat text, the CSV and the lead pane
    "rep.col.match": {"zh": "匹配", "en": "Tested"},
    "rep.rate.match": {"zh": "核酸匹配率", "en": "Match rate"},
    "rep.rate.match_items": {
        "zh": "核酸匹配率 {rate} ({n}/{total}，数据{data} 电话{call})",
        "en": "Match rate {rate} ({n}/{total}: data {data}, phone {call})",
    },
    "rep.saved_today": {"zh": "今日匹配免拨 {n}", "en": "Calls saved today {n}"},
    "rep.chat.match": {"zh": "核酸匹配 {n} ({share})", "en": "tested {n} ({share})"},
    "rep.chat.source": {
        "zh": "匹配来源：数据{data} 电话{call}",
        "en": "matched by data {data}, phone {call}",
    },
    "rep.match.data": {"zh": "数据匹配", "en": "matched by data"},
    "rep.match.call": {"zh": "电话确认", "en": "confirmed by phone"},
    "rep.csv.lists_match": {"zh": "名单核酸匹配", "en": "List match rate"},
    "rep.csv.match_source": {"zh": "匹配来源", "en": "Match source"},
    "rep.csv.saved_today": {"zh": "今日匹配免拨", "en": "calls saved today"},
    "lead.match_share": {"zh": "匹配{share}", "en": "tested {share}"},
    # the export
    "exp.field.match_source": {"zh": "核酸匹配来源", "en": "Match source"},
    "exp.field.test_time": {"zh": "采样时间", "en": "Test time"},
    "exp.field.test_site": {"zh": "采样点", "en": "Test site"},
    "exp.outcome.test_matched": {"zh": "已做核酸（数据匹配）", "en": "Already tested (matched)"},
    "imp_msg.results_incomplete": {
        "en": "results file #{id} {name} was cut short while it was imported: import the same "
        "file again to complete it",
        "zh": "核酸结果文件 #{id} {name} 上次导入未完成：请重新导入同一文件以补全",
    },
    # the caller card
    "call.test": {"zh": "核酸", "en": "Test"},
    "test.before_arrival": {
        "zh": "上次检测 {when}，早于抵深",
        "en": "tested {when}, before arrival",
    },
    "test.before_window": {
        "zh": "上次检测 {when}，早于名单{n}天以上",
        "en": "tested {when}, >{n} days early",
    },
    "test.positive": {"zh": "{when} 检测阳性，未结案", "en": "tested {when}: POSITIVE"},
    "test.unclear": {"zh": "{when} 检测结果不明", "en": "tested {when}: result unclear"},
    "test.matched": {"zh": "{when} 已做核酸（{site}）", "en": "tested {when} ({site})"},
    "test.banner": {
        "zh": "数据已匹配：{when} 在{site}已做核酸，无需拨打。按 t 结案",
        "en": "Matched: tested {when} at {site} - no call needed, t closes it",
    },
    "test.notice": {
        "zh": "刚导入的核酸结果匹配到这张卡片：按 t 结案；已接通的也可照常记录结果",
        "en": "The test results just imported match this card: t closes it, or record the call "
        "as usual",
    },
    "key.close_matched": {"zh": "结案(已检)", "en": "close: tested"},
    "status.closed_matched": {
        "zh": "已结案 {name} - 已做核酸（数据匹配）",
        "en": "Closed {name} - already tested (matched)",
    },
}
