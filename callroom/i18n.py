"""Interface strings in zh and en. One table, looked up by key; a missing key shows the key."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    # task states
    "state.pending": {"zh": "待拨打", "en": "Pending"},
    "state.retry": {"zh": "待重拨", "en": "Retry later"},
    "state.callback": {"zh": "约定回拨", "en": "Callback"},
    "state.done": {"zh": "已完成", "en": "Done"},
    "state.field_visit": {"zh": "转上门排查", "en": "Field visit"},
    "state.duplicate": {"zh": "重复(已核实)", "en": "Duplicate (verified)"},
    "state.linked": {"zh": "重复(处理中)", "en": "Linked to open task"},
    # flags
    "flag.urgent": {"zh": "紧急", "en": "URGENT"},
    "flag.elderly": {"zh": "老人", "en": "elderly"},
    "flag.pregnant": {"zh": "孕妇", "en": "pregnant"},
    "flag.child": {"zh": "儿童", "en": "child"},
    "flag.patient": {"zh": "病患", "en": "patient"},
    # import summary
    "imp.title": {"zh": "已导入名单：{name}", "en": "Imported list: {name}"},
    "imp.dry_title": {"zh": "试导入（未写入）：{name}", "en": "Dry run (nothing written): {name}"},
    "imp.dry_note": {
        "zh": "试导入：以上为预计结果，数据库未改动。去掉 --dry-run 正式导入。",
        "en": "Dry run: the figures above are what an import would do; nothing was written.",
    },
    "imp.file": {"zh": "文件", "en": "File"},
    "imp.header_row": {"zh": "表头第{row}行", "en": "header row {row}"},
    "imp.rows_read": {"zh": "读取行数", "en": "Rows read"},
    "imp.created": {"zh": "新建任务", "en": "Tasks created"},
    "imp.merged": {"zh": "表内合并", "en": "Merged in file"},
    "imp.merged_hint": {"zh": "同号多行并为一个任务", "en": "same phone twice: one task"},
    # importer messages (callroom.importer.model.Msg): what failed, where, and what to do
    "imp_msg.no_files": {
        "en": "no file given: name one or more .xlsx/.xls/.ods/.csv lists",
        "zh": "没有给出文件：请指定一个或多个 .xlsx/.xls/.ods/.csv 名单",
    },
    "imp_msg.same_content": {
        "en": "{path}: same content as {other} given in this command",
        "zh": "{path}：与本次命令中的 {other} 内容完全相同",
    },
    "imp_msg.store": {"en": "{detail}", "zh": "数据库：{detail}"},
    "imp_msg.map_field": {
        "en": "--map {header}={field}: unknown field {field_q} (known: {known})",
        "zh": "--map {header}={field}：没有 {field_q} 这个字段（可用：{known}）",
    },
    "imp_msg.map_empty": {
        "en": "--map {header}={field}: the header text is empty",
        "zh": "--map {header}={field}：表头文字是空的",
    },
    "imp_msg.priority": {
        "en": "--priority {value}: use 'urgent' (or leave it out)",
        "zh": "--priority {value}：只能写 urgent（或者不写）",
    },
    "imp_msg.script": {"en": "--script: {detail}", "zh": "--script：{detail}"},
    "imp_msg.already": {
        "en": "{path}: this exact file was already imported as list #{id} ({name}, {at}); "
        "add --again to import it anyway",
        "zh": "{path}：这个文件已在 {at} 导入过，名单 #{id}（{name}）；确需再导入一次请加 --again",
    },
    "imp_msg.where_sheet": {"en": "{path}, sheet {sheet}", "zh": "{path}，工作表 {sheet}"},
    "imp_msg.sheet_empty": {"en": "{where}: empty", "zh": "{where}：是空的"},
    "imp_msg.no_header": {
        "en": "{where}: no header row found in the first {rows} rows (looked for a phone column: "
        "{looked}, ...); name it with --map 'HEADER=phone'",
        "zh": "{where}：前 {rows} 行里找不到表头（找的是电话列：{looked} 等）；"
        "请用 --map '表头文字=phone' 指明电话列",
    },
    "imp_msg.no_phone_column": {
        "en": "{where}: row {row} looks like the header ({shown}) but has no phone column "
        "(looked for {looked}, ...); name it with --map 'HEADER=phone'",
        "zh": "{where}：第 {row} 行像是表头（{shown}），但没有电话列（找的是 {looked} 等）；"
        "请用 --map '表头文字=phone' 指明电话列",
    },
    "imp_msg.no_list": {
        "en": "{path}: no sheet has a list with a phone column:\n  {problems}",
        "zh": "{path}：没有哪个工作表是带电话列的名单：\n  {problems}",
    },
    "imp_msg.skipped": {"en": "skipped {problem}", "zh": "已跳过 {problem}"},
    "imp_msg.map_missing": {
        "en": "--map {header}={field}: {path} has no column headed {header_q}",
        "zh": "--map {header}={field}：{path} 里没有表头为 {header_q} 的列",
    },
    "imp_msg.no_data": {
        "en": "{path}: the header ({rows}) has no data rows under it",
        "zh": "{path}：表头（{rows}）下面没有数据行",
    },
    "imp_msg.extras_dropped": {
        "en": "{where}: {dropped} more columns were not kept (a card shows at most {kept} extra "
        "columns)",
        "zh": "{where}：另有 {dropped} 列未保留（卡片最多显示 {kept} 个其他列）",
    },
    "imp_msg.rejects_moved": {
        "en": "{folder} is not writable; rejects written to {fallback}",
        "zh": "{folder} 不能写入；拒收行已写到 {fallback}",
    },
    "imp_msg.hidden_sheets": {
        "en": "hidden sheets not read: {sheets} (use --sheet to read one)",
        "zh": "隐藏的工作表未读取：{sheets}（要读请用 --sheet 指定）",
    },
    "imp_msg.no_file": {"en": "{path}: no such file", "zh": "{path}：文件不存在"},
    "imp_msg.is_folder": {
        "en": "{path}: is a folder, not a list file",
        "zh": "{path}：这是文件夹，不是名单文件",
    },
    "imp_msg.unreadable": {
        "en": "{path}: cannot read the file: {reason}",
        "zh": "{path}：无法读取文件：{reason}",
    },
    "imp_msg.empty_file": {
        "en": "{path}: the file is empty (0 bytes); ask the district to send it again",
        "zh": "{path}：文件是空的（0 字节）；请区里重新发送",
    },
    "imp_msg.binary": {
        "en": "{path}: not a spreadsheet or text list (binary content); open it in Excel and save "
        "it as .xlsx, or ask the district for the original file",
        "zh": "{path}：不是表格或文本名单（二进制内容）；请用 Excel 打开另存为 .xlsx，"
        "或向区里索要原文件",
    },
    "imp_msg.web_page": {
        "en": "{path}: a web page saved with a spreadsheet name, not a real workbook; open it in "
        "Excel and use Save As > Excel Workbook (.xlsx), then import that file",
        "zh": "{path}：这是用表格文件名保存的网页，不是真正的工作簿；请用 Excel 打开，"
        "“另存为 > Excel 工作簿(.xlsx)”，再导入新文件",
    },
    "imp_msg.pdf": {
        "en": "{path}: a PDF, not a list; ask the district for the Excel file",
        "zh": "{path}：这是 PDF，不是名单；请向区里索要 Excel 文件",
    },
    "imp_msg.sheet_on_text": {
        "en": "{path}: --sheet {sheet} given, but a text/CSV file has no sheets",
        "zh": "{path}：给了 --sheet {sheet}，但文本/CSV 文件没有工作表",
    },
    "imp_msg.password": {
        "en": "{path}: the workbook is password-protected; open it in Excel with the password, "
        "remove it (File > Info > Protect Workbook), save, and import again",
        "zh": "{path}：工作簿设有密码；请用 Excel 输入密码打开，取消密码（文件 > 信息 > "
        "保护工作簿），保存后再导入",
    },
    "imp_msg.bad_workbook": {
        "en": "{path}: cannot read it as an Excel/ODS workbook ({detail}); the file may be "
        "truncated or damaged: open it in Excel, save it again as .xlsx, and import that",
        "zh": "{path}：无法作为 Excel/ODS 工作簿读取（{detail}）；文件可能不完整或已损坏："
        "请用 Excel 打开，重新另存为 .xlsx 后导入",
    },
    "imp_msg.no_such_sheet": {
        "en": "{path}: no sheet named {sheet} (sheets: {sheets})",
        "zh": "{path}：没有名为 {sheet} 的工作表（现有：{sheets}）",
    },
    "imp_msg.bad_sheet": {
        "en": "{path}, sheet {sheet}: cannot read it ({detail}); the file may be damaged: open it "
        "in Excel, save it again as .xlsx, and import that",
        "zh": "{path}，工作表 {sheet}：无法读取（{detail}）；文件可能已损坏：请用 Excel 打开，"
        "重新另存为 .xlsx 后导入",
    },
    "imp_msg.bad_encoding": {
        "en": "{path}: cannot decode the text as UTF-8 or GB18030; save it from Excel as "
        "'CSV UTF-8' or as .xlsx and import that",
        "zh": "{path}：文本既不是 UTF-8 也不是 GB18030 编码；请在 Excel 中另存为“CSV UTF-8”"
        "或 .xlsx 后导入",
    },
    "imp_msg.open_quote": {
        "en": '{path}: line {line}: a quote (") opened here is never closed, so {lines} lines '
        "would be read as one cell; fix the quote in the file (or save the list from Excel "
        "again) and import again",
        "zh": '{path}：第 {line} 行：这里的引号（"）没有闭合，后面 {lines} 行会被读成一个单元格；'
        "请修正文件里的引号（或用 Excel 重新保存名单）后再导入",
    },
    "imp_msg.bad_bytes": {
        "en": "{path}: line {line}: bytes that are neither UTF-8 nor GB18030; save the list from "
        "Excel as 'CSV UTF-8' or as .xlsx and import that",
        "zh": "{path}：第 {line} 行：有既不是 UTF-8 也不是 GB18030 的字节；请在 Excel 中"
        "另存为“CSV UTF-8”或 .xlsx 后导入",
    },
    "imp_msg.broken_csv": {
        "en": "{path}: line {line}: broken CSV ({detail}); open it in Excel and save again",
        "zh": "{path}：第 {line} 行：CSV 格式损坏（{detail}）；请用 Excel 打开后重新保存",
    },
    "imp.linked": {"zh": "关联在办任务", "en": "Linked to open"},
    "imp.linked_hint": {
        "zh": "号码已在其他名单待拨，不重复拨打",
        "en": "already open in an earlier list",
    },
    "imp.auto": {"zh": "自动判重", "en": "Auto-resolved"},
    "imp.auto_hint": {"zh": "近期已核实，标记为重复", "en": "verified recently: duplicate of #N"},
    "imp.rejected": {"zh": "拒收行", "en": "Rejected rows"},
    "imp.damaged": {"zh": "身份证号被Excel损坏", "en": "IDs damaged by Excel"},
    "imp.damaged_hint": {"zh": "末位丢失，需重新采集", "en": "digits lost: re-collect"},
    "imp.suspect": {"zh": "身份证号存疑", "en": "Suspect IDs"},
    "imp.alternates": {"zh": "备用号码", "en": "Alternate phones"},
    "imp.ambiguous": {"zh": "8位号码", "en": "8-digit numbers"},
    "imp.ambiguous_hint": {"zh": "按深圳固话处理，拨打时注意", "en": "read as Shenzhen landlines"},
    "imp.unread_dates": {"zh": "无法识别的日期", "en": "Dates kept as written"},
    "imp.extra": {"zh": "其他列", "en": "Extra columns"},
    "imp.row": {"zh": "第{row}行", "en": "row {row}"},
    "rejects.sheet": {"zh": "工作表", "en": "sheet"},
    "rejects.row": {"zh": "行号", "en": "row"},
    "rejects.column": {"zh": "列", "en": "column"},
    "rejects.reason": {"zh": "原因", "en": "reason"},
    "reject.no_phone": {"zh": "无电话号码", "en": "no phone number"},
    "reject.empty": {"zh": "无电话号码", "en": "no phone number"},
    "reject.invalid": {"zh": "号码无效", "en": "invalid number"},
    "reject.not_phone": {"zh": "不是电话号码", "en": "not a phone number"},
    "reject.unreadable": {"zh": "无法识别的号码", "en": "unreadable number"},
    "reject.short_number": {"zh": "服务短号", "en": "service short number"},
    "reject.excel_error": {"zh": "Excel错误值", "en": "Excel error value"},
    "reject.formula": {"zh": "公式而非号码", "en": "a formula, not a number"},
    "imp.more": {"zh": "行另见拒收文件", "en": "more in the rejects file"},
    "imp.rejects_file": {"zh": "拒收行已写入 {path}", "en": "Rejected rows written to {path}"},
    "imp.nothing": {
        "zh": "本次导入未写入任何数据。修正后重新运行同一命令即可。",
        "en": "Nothing was imported. Fix the file and run the same command again.",
    },
    "imp.interrupted": {
        "zh": "已中断：本次导入未写入任何数据。",
        "en": "Interrupted: nothing of this import was written.",
    },
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
    # lead pane
    "lead.title": {"zh": "组长进度", "en": "Team lead progress"},
    "lead.refreshed": {
        "zh": "{at} 更新，每 {n} 秒刷新",
        "en": "updated {at}, refreshes every {n} s",
    },
    "lead.no_lists": {
        "zh": "今天还没有名单。用 callroom import 导入。",
        "en": "No lists today. Load one with callroom import.",
    },
    "lead.deadline_left": {"zh": "剩 {t}", "en": "{t} left"},
    "lead.deadline_over": {"zh": "超时 {t}", "en": "overdue {t}"},
    "lead.rates": {
        "zh": "核实率 {verified}  应答率 {rr}  合作率 {coop}  拒绝率 {ref}  接触率 {con}",
        "en": "Matched {verified}  Response {rr}  Coop {coop}  Refusal {ref}  Contact {con}",
    },
    "lead.spark": {"zh": "每30分钟通话", "en": "Calls/30 min"},
    "lead.urgent_wait": {
        "zh": "紧急等待 中位{m}分 最长{x}分",
        "en": "urgent wait median {m}m max {x}m",
    },
    "lead.tab.callers": {"zh": "拨打员", "en": "Callers"},
    "lead.tab.urgent": {"zh": "紧急", "en": "Urgent"},
    "lead.tab.overdue": {"zh": "超时", "en": "Overdue"},
    "lead.tab.callbacks": {"zh": "回拨", "en": "Callbacks"},
    "lead.tab.visits": {"zh": "上门", "en": "Visits"},
    "lead.tab.refused": {"zh": "拒绝", "en": "Refused"},
    "lead.col.caller": {"zh": "拨打员", "en": "Caller"},
    "lead.col.calls": {"zh": "通话", "en": "Calls"},
    "lead.col.completes": {"zh": "完成", "en": "Done"},
    "lead.col.per_hour": {"zh": "每小时", "en": "/hour"},
    "lead.col.status": {"zh": "状态", "en": "Status"},
    "lead.col.since": {"zh": "自", "en": "Since"},
    "lead.col.task": {"zh": "任务", "en": "Task"},
    "lead.col.list": {"zh": "名单", "en": "List"},
    "lead.col.name": {"zh": "姓名", "en": "Name"},
    "lead.col.phone": {"zh": "电话", "en": "Phone"},
    "lead.col.flags": {"zh": "标记", "en": "Flags"},
    "lead.col.waited": {"zh": "已等", "en": "Waited"},
    "lead.col.due": {"zh": "时间", "en": "Due"},
    "lead.col.address": {"zh": "地址", "en": "Address"},
    "lead.col.result": {"zh": "结果/备注", "en": "Result / note"},
    "lead.status.on_card": {"zh": "拨打中", "en": "on a card"},
    "lead.status.paused": {"zh": "暂停", "en": "paused"},
    "lead.status.idle": {"zh": "空闲", "en": "idle"},
    "lead.key.next_tab": {"zh": "切换列表", "en": "Next list"},
    "lead.key.refresh": {"zh": "刷新", "en": "Refresh"},
    "lead.key.raise": {"zh": "设为紧急", "en": "Urgent"},
    "lead.key.reassign": {"zh": "指派", "en": "Assign"},
    "lead.key.reopen": {"zh": "重新打开", "en": "Reopen"},
    "lead.key.visit_done": {"zh": "上门完成", "en": "Visit done"},
    "lead.key.back": {"zh": "返回", "en": "Back"},
    "lead.key.quit": {"zh": "退出", "en": "Quit"},
    "lead.select_task": {
        "zh": "先在任务列表中选中一行",
        "en": "Select a task in one of the task lists first",
    },
    "lead.ask.reassign": {
        "zh": "把任务 #{id} 指派给（拨打员名，留空=所有人）：",
        "en": "Assign task #{id} to (caller name, empty = everyone):",
    },
    "lead.ask.visit": {"zh": "任务 #{id} 上门结果：", "en": "Field visit result for task #{id}:"},
    "lead.done.raise": {"zh": "任务 #{id} 已设为紧急", "en": "Task #{id} is now urgent"},
    "lead.done.reassign": {"zh": "任务 #{id} 已指派给 {to}", "en": "Task #{id} assigned to {to}"},
    "lead.done.reopen": {"zh": "任务 #{id} 已重新打开", "en": "Task #{id} reopened"},
    "lead.done.visit": {"zh": "任务 #{id} 上门已完成", "en": "Task #{id} field visit recorded"},
    "lead.short.pending": {"zh": "待拨", "en": "new"},
    "lead.short.retry": {"zh": "重拨", "en": "retry"},
    "lead.short.callback": {"zh": "回拨", "en": "cb"},
    "lead.short.field_visit": {"zh": "上门", "en": "visit"},
    "lead.everyone": {"zh": "所有人", "en": "everyone"},
    "lead.minutes": {"zh": "{n}分", "en": "{n}m"},
    "prompt.ok": {"zh": "确定", "en": "OK"},
    "prompt.cancel": {"zh": "取消", "en": "Cancel"},
    # caller screen
    "call.attempt": {"zh": "第{n}次拨打", "en": "attempt {n}"},
    "call.due_in": {"zh": "截止还剩{left}", "en": "due in {left}"},
    "call.overdue": {"zh": "已超截止{left}", "en": "overdue {left}"},
    "call.inbound": {"zh": "来电", "en": "inbound"},
    "call.callback_at": {"zh": "约定{when}回拨", "en": "callback {when}"},
    "call.retry_n": {"zh": "重拨", "en": "retry"},
    "call.closed": {"zh": "已结束: {state} {outcome}", "en": "closed: {state} {outcome}"},
    "call.alt": {"zh": "备用", "en": "alt"},
    "call.ext": {"zh": "转{ext}", "en": "ext {ext}"},
    "call.name": {"zh": "姓名", "en": "Name"},
    "call.id": {"zh": "证件", "en": "ID"},
    "call.masked": {"zh": "(r 显示)", "en": "(r reveals)"},
    "call.revealed": {"zh": "(已显示,已记录)", "en": "(shown, logged)"},
    "call.month_calls": {"zh": "本月已拨此号{n}次", "en": "called {n}x this month"},
    "call.month_first": {"zh": "本月首次拨打此号", "en": "first call this month"},
    "call.place": {"zh": "来源地", "en": "Place"},
    "call.arrival": {"zh": "到达", "en": "Arrived"},
    "call.address": {"zh": "住址", "en": "Address"},
    "call.source_note": {"zh": "名单备注", "en": "List note"},
    "call.history": {"zh": "拨打记录", "en": "History"},
    "call.history_none": {"zh": "此前没有拨打记录", "en": "No earlier calls"},
    "call.history_more": {"zh": "另有{n}条", "en": "{n} more"},
    "call.script_error": {"zh": "话术无法使用: {error}", "en": "Script unavailable: {error}"},
    "call.script_hint": {
        "zh": "y/n 回答是否题 - Enter 回答当前题 - 上下键换题",
        "en": "y/n yes/no - Enter answers - up/down moves",
    },
    "call.hint_yesno": {"zh": "y/n", "en": "y/n"},
    "call.hint_enter": {"zh": "Enter", "en": "Enter"},
    "call.note": {"zh": "备注", "en": "Note"},
    "call.outcomes": {"zh": "结果", "en": "Outcome"},
    "answer.yes": {"zh": "是", "en": "yes"},
    "answer.no": {"zh": "否", "en": "no"},
    "id_flag.damaged_by_excel": {"zh": "被Excel截断, 需重新采集", "en": "cut by Excel: re-collect"},
    "id_flag.bad_check_digit": {"zh": "校验位不符, 请核对", "en": "check digit wrong: verify"},
    "id_flag.bad_birth_date": {"zh": "出生日期无效", "en": "impossible birth date"},
    "id_flag.unrecognised": {"zh": "证件格式未识别", "en": "unrecognised ID format"},
    "id_flag.upgraded_from_15": {"zh": "原15位已升级", "en": "upgraded from 15 digits"},
    "phone_flag.ambiguous_8_digits": {
        "zh": "8位号码: 可能是深圳固话或港澳手机, 请核对",
        "en": "8 digits: Shenzhen landline or HK/MO mobile? check",
    },
    "status.operator": {"zh": "拨打员 {name}", "en": "caller {name}"},
    "status.done": {"zh": "今日{n}通", "en": "today {n}"},
    "status.rate": {"zh": "近1小时{n}通", "en": "{n}/hour"},
    "status.queue": {"zh": "队列{n}", "en": "queue {n}"},
    "status.saved": {"zh": "已记录 {outcome} (u撤销)", "en": "saved {outcome} (u undoes)"},
    "status.undone": {"zh": "已撤销 {outcome}", "en": "undone {outcome}"},
    "status.skipped": {"zh": "已跳过", "en": "skipped"},
    "status.paused": {"zh": "休息中", "en": "on a break"},
    "key.yes": {"zh": "是", "en": "yes"},
    "key.no": {"zh": "否", "en": "no"},
    "key.answer": {"zh": "回答", "en": "answer"},
    "key.check": {"zh": "立即检查", "en": "check now"},
    "key.prev": {"zh": "上一题", "en": "prev"},
    "key.next": {"zh": "下一题", "en": "next"},
    "key.note": {"zh": "备注", "en": "note"},
    "key.undo": {"zh": "撤销", "en": "undo"},
    "key.skip": {"zh": "跳过", "en": "skip"},
    "key.find": {"zh": "查号", "en": "find"},
    "key.reveal": {"zh": "显示", "en": "reveal"},
    "key.pause": {"zh": "暂停", "en": "break"},
    "key.progress": {"zh": "进度", "en": "progress"},
    "key.help": {"zh": "帮助", "en": "help"},
    "key.quit": {"zh": "退出", "en": "quit"},
    "key.cancel": {"zh": "取消", "en": "cancel"},
    "key.resume": {"zh": "继续", "en": "resume"},
    "key.close": {"zh": "关闭", "en": "close"},
    "empty.title": {"zh": "现在没有可拨打的任务", "en": "Nothing to call right now"},
    "empty.no_lists": {
        "zh": "数据库里还没有名单。导入名单: callroom import 名单.xlsx",
        "en": "No lists in the database yet. Load one with: callroom import LIST.xlsx",
    },
    "empty.all_done": {
        "zh": "所有任务都已处理完。新名单导入后会自动出现在这里。",
        "en": "Every task is handled. New lists show up here as soon as they are imported.",
    },
    "empty.callbacks": {"zh": "{n}个约定回拨, 最早 {when}", "en": "{n} callbacks due from {when}"},
    "empty.retries": {"zh": "{n}个待重拨, {when} 起", "en": "{n} retries after {when}"},
    "empty.held": {"zh": "{n}个任务在其他同事屏幕上", "en": "{n} tasks on colleagues' screens"},
    "empty.outside_hours": {
        "zh": "现在不在拨打时段({start}-{end}): {n}个任务等到 {start} 再拨, 紧急任务照常出现",
        "en": "Outside calling hours ({start}-{end}): {n} tasks wait until {start}; urgent ones still come",
    },
    "empty.skipped": {
        "zh": "本次跳过了{n}个任务, 按 Enter 重新查看",
        "en": "You skipped {n} tasks this session; Enter shows them again",
    },
    "empty.poll": {
        "zh": "每{s}秒自动检查一次, 按 Enter 立即检查",
        "en": "Checking every {s} s; press Enter to check now",
    },
    "when.tomorrow": {"zh": "明天 {time}", "en": "tomorrow {time}"},
    "dur.dh": {"zh": "{d}天{h}小时", "en": "{d}d{h}h"},
    "dur.hm": {"zh": "{h}小时{m}分", "en": "{h}h{m:02d}m"},
    "dur.m": {"zh": "{m}分钟", "en": "{m} min"},
    "dialog.hint": {"zh": "Enter 确定 - Esc 取消", "en": "Enter saves - Esc cancels"},
    "callback.title": {"zh": "约定回拨时间", "en": "Call back when?"},
    "callback.examples": {
        "zh": "例: 14:30  +30m  明天9点  下午3点  周三10点",
        "en": "e.g. 14:30  +30m  tomorrow 9  3pm  wed 10",
    },
    "callback.outside": {
        "zh": "注意: 不在拨打时段({start}-{end})",
        "en": "Note: outside calling hours ({start}-{end})",
    },
    "when.err.empty": {"zh": "请输入时间", "en": "Type a time"},
    "when.err.unreadable": {"zh": "看不懂这个时间", "en": "Cannot read that"},
    "when.err.past": {"zh": "这个时间已经过去了", "en": "That time has passed"},
    "when.err.need_time": {"zh": "请加上几点, 如 明天9点", "en": "Add a time, e.g. tomorrow 9"},
    "note.title": {"zh": "备注", "en": "Note"},
    "note.required": {"zh": '"{outcome}" 需要写备注', "en": '"{outcome}" needs a note'},
    "note.placeholder": {
        "zh": "简要说明, 如: 号码已换人",
        "en": "Short note, e.g. number has a new owner",
    },
    "note.err.empty": {"zh": "备注不能为空", "en": "A note is required"},
    "answer.date_forms": {
        "zh": "例: 1031  10-31  今天  昨天  前天  3天前",
        "en": "e.g. 1031  10-31  today  yesterday  -3",
    },
    "answer.clear": {
        "zh": "清空输入后按 Enter = 删除答案",
        "en": "Enter on empty = clear the answer",
    },
    "answer.choice_hint": {
        "zh": "按数字选择 - Del 清除 - Esc 取消",
        "en": "Digit picks - Del clears - Esc cancels",
    },
    "answer.yesno_hint": {
        "zh": "y 是 - n 否 - Del 清除 - Esc 取消",
        "en": "y yes - n no - Del clears - Esc cancels",
    },
    "answer.err.empty": {"zh": "请输入答案", "en": "Type an answer"},
    "answer.err.unreadable": {"zh": "看不懂这个日期", "en": "Cannot read that date"},
    "answer.err.yesno": {"zh": "请按 y 或 n", "en": "Press y or n"},
    "answer.err.choice": {"zh": "请选一个编号", "en": "Pick a number"},
    "find.title": {"zh": "来电查号", "en": "Find by phone (inbound call)"},
    "find.placeholder": {
        "zh": "电话号码, 任意格式: 138 1234 5678 / +86... / 0755...",
        "en": "Phone in any format: 138 1234 5678 / +86... / 0755...",
    },
    "find.invalid": {"zh": "号码不完整或无效", "en": "Not a complete, valid number"},
    "find.none": {"zh": "没有这个号码的任务", "en": "No tasks for this number"},
    "find.count": {"zh": "找到{n}个任务", "en": "{n} tasks found"},
    "find.hint": {
        "zh": "Enter 打开 - 上下键选择 - Esc 返回",
        "en": "Enter opens - up/down picks - Esc goes back",
    },
    "find.held": {"zh": "在 {who} 屏幕上", "en": "on {who}'s screen"},
    "find.calls": {"zh": "已拨{n}次", "en": "{n} calls"},
    "find.failed": {"zh": "无法打开: {reason}", "en": "Cannot open: {reason}"},
    "pause.title": {"zh": "休息中", "en": "On a break"},
    "pause.since": {"zh": "{time} 开始, 已{minutes}分钟", "en": "since {time}, {minutes} min"},
    "pause.resume": {"zh": "按 Enter 继续拨打", "en": "Press Enter to resume"},
    "pause.logged": {
        "zh": "卡片已退回队列; 暂停和继续会记录, 组长可见",
        "en": "Your card went back to the queue; breaks are logged for the lead",
    },
    "help.title": {"zh": "按键说明", "en": "Keys"},
    "help.outcomes": {
        "zh": "通话结果 (一键保存并显示下一张)",
        "en": "Outcomes (one key saves and shows the next card)",
    },
    "help.card": {"zh": "卡片", "en": "Card"},
    "help.times": {
        "zh": "回拨时间: 14:30  1430  +30m  +2h  半小时后  明天9点  明早9点半  下午3点  周三10点  11-05 14:00",
        "en": "Callback times: 14:30  1430  +30m  +2h  tomorrow 9  tomorrow 3pm  wed 10  11-05 14:00",
    },
    "help.dates": {
        "zh": "日期答案: 1031  10-31  10月31日  31号  今天  昨天  前天  3天前",
        "en": "Date answers: 1031  10-31  2026-10-31  today  yesterday  -3",
    },
    "help.close": {"zh": "Esc 关闭", "en": "Esc closes"},
    "error.record": {"zh": "没有保存: {reason}", "en": "Not saved: {reason}"},
    "error.undo": {"zh": "不能撤销: {reason}", "en": "Cannot undo: {reason}"},
    "error.lease_lost": {
        "zh": "这张卡片的领取已失效(可能超时), 已换下一张",
        "en": "This card's claim lapsed; here is the next one",
    },
    "error.store": {"zh": "数据库操作失败: {reason}", "en": "Database error: {reason}"},
}


def t(key: str, lang: str, **values: object) -> str:
    entry = STRINGS.get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry["en"]
    return text.format(**values) if values else text


def state_label(state: str, lang: str) -> str:
    return t(f"state.{state}", lang)
