"""The importer: its summary, its messages (Msg) and the reasons rows are rejected."""

STRINGS: dict[str, dict[str, str]] = {
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
}
