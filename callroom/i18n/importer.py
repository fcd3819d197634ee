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
        "en": "{where}: no header row found in the first {rows} rows, and no column of phone "
        "numbers (the row most like a header is row {row}):\n{shown}\nName the phone column "
        "by its letter, e.g. --map '{letter}=phone'",
        "zh": "{where}：前 {rows} 行里找不到表头，也没有一列是电话号码（最像表头的是第 {row} 行）：\n"
        "{shown}\n请按列字母指明电话列，例如 --map '{letter}=phone'",
    },
    "imp_msg.no_phone_column": {
        "en": "{where}: row {row} is the header, but it has no phone column: no column holds the "
        "resident's numbers, by its header or by its cells:\n{shown}\nName the phone column by "
        "its letter or header, e.g. --map '{letter}=phone'",
        "zh": "{where}：第 {row} 行是表头，但没有电话列：表头文字和单元格内容都看不出哪一列是居民本人"
        "电话：\n{shown}\n请按列字母或表头文字指明电话列，例如 --map '{letter}=phone'",
    },
    "imp_msg.incomplete_batch": {
        "en": "list #{id} ({name}) is incomplete: a crash stopped it after {tasks} tasks; run "
        "callroom import {file} --again to add the rest (the tasks already in are linked, not "
        "called twice)",
        "zh": "名单 #{id}（{name}）不完整：导入中途崩溃，只写入了 {tasks} 个任务；请运行 "
        "callroom import {file} --again 补齐其余部分（已写入的会关联，不会重复拨打）",
    },
    "imp_msg.letter_placeholder": {"en": "LETTER", "zh": "列字母"},
    "imp_msg.unclear": {
        "en": "{where}: not sure which column holds the resident's own phone number: {why}\n"
        "  best guess: {guess}\n  also: {others}\n  {header}:\n{shown}\n"
        "Check the list, then run the same command with --map '{letter}=phone' (or the letter "
        "of the right column); that choice is remembered for lists with this header",
        "zh": "{where}：不能确定哪一列是居民本人的电话：{why}\n  最可能：{guess}\n"
        "  其他：{others}\n  {header}：\n{shown}\n"
        "请核对名单后，在同一命令后加 --map '{letter}=phone'（或正确列的字母）再运行；"
        "这一选择会被记住，以后同样表头的名单直接导入",
    },
    "imp_msg.doubt_others_only": {
        "en": "the only numbers are in columns that name someone else (a relative, a contact)",
        "zh": "只有写明是他人（家属、联系人等）号码的列",
    },
    "imp_msg.doubt_by_content": {
        "en": "no header says phone; a column holds numbers under another header",
        "zh": "没有表头写明是电话；有一列表头写的是别的内容，但内容是号码",
    },
    "imp_msg.doubt_weak": {
        "en": "few of the phone column's cells are valid numbers",
        "zh": "电话列里有效号码很少",
    },
    "imp_msg.doubt_close": {
        "en": "another column holds more valid numbers than the phone column",
        "zh": "另一列的有效号码比电话列还多",
    },
    "imp_msg.candidate": {
        "en": "{label} ({valid}/{total} valid, e.g. {sample}; {whose})",
        "zh": "{label}（{valid}/{total} 个有效，如 {sample}；{whose}）",
    },
    "imp_msg.whose_own": {"en": "the resident's own", "zh": "本人号码"},
    "imp_msg.whose_alternate": {"en": "the resident's other number", "zh": "本人其他号码"},
    "imp_msg.whose_other": {"en": "someone else's number", "zh": "他人号码"},
    "imp_msg.whose_unknown": {"en": "header says something else", "zh": "表头不是电话"},
    "imp_msg.not_confirmed": {
        "en": "{where}: stopped: no phone column was chosen",
        "zh": "{where}：已停止：没有选定电话列",
    },
    "imp_msg.helper_sheet": {
        "en": "{where}: instructions or a dictionary, not a list",
        "zh": "{where}：填写说明或字典，不是名单",
    },
    "imp_msg.sheet_no_list": {
        "en": "{where}: no phone column, not a list",
        "zh": "{where}：没有电话列，不是名单",
    },
    "imp_msg.nothing_callable": {
        "en": "{path}: none of its {rows} rows has a number that can be called; why each was "
        "refused is in {rejects}",
        "zh": "{path}：读到 {rows} 行，其中没有可拨打的号码；每行被拒收的原因见 {rejects}",
    },
    "imp_msg.nothing_callable_no_rows": {
        "en": "{path}: no row to call ({skipped} rows were headers, examples or notes, not data)",
        "zh": "{path}：没有可拨打的行（{skipped} 行是表头、示例或说明，不是数据）",
    },
    "imp_msg.not_a_file": {
        "en": "{path}: not a list file but a {kind}; save the list to a file and import that",
        "zh": "{path}：不是名单文件（是 {kind}）；请把名单保存为文件后再导入",
    },
    "imp_msg.too_big": {
        "en": "{path}, sheet {sheet}: the sheet says it spans {ref} ({cells} cells; a list has "
        "at most {limit}), too large to read; open it in Excel, delete the empty rows and "
        "columns below and right of the list (Ctrl+End shows the last cell), save, import again",
        "zh": "{path}，工作表 {sheet}：该表声明的范围是 {ref}（{cells} 个单元格，名单最多 {limit}），"
        "太大无法读取；请用 Excel 打开，删除名单下方和右侧的空行空列（Ctrl+End 可看到最后一个单元格），"
        "保存后再导入",
    },
    "imp_msg.reader_memory": {
        "en": "{path}, sheet {sheet}: reading it needed more memory than any list can (a stray "
        "cell far below or right of the list makes the sheet huge); open it in Excel, delete the "
        "empty rows and columns after the list (Ctrl+End shows the last cell), save, import again",
        "zh": "{path}，工作表 {sheet}：读取所需内存超出任何名单的需要（名单下方或右侧很远处有零散单元格，"
        "使工作表变得巨大）；请用 Excel 打开，删除名单之后的空行空列（Ctrl+End 可看到最后一个单元格），"
        "保存后再导入",
    },
    "imp_msg.reader_died": {
        "en": "{path}, sheet {sheet}: the file could not be read (the reader stopped, code "
        "{code}); open it in Excel, save it again as .xlsx, and import that",
        "zh": "{path}，工作表 {sheet}：无法读取该文件（读取进程中止，代码 {code}）；"
        "请用 Excel 打开，重新另存为 .xlsx 后导入",
    },
    "imp_msg.reader_error": {
        "en": "{path}: could not be read ({kind} at {place}); open it in Excel, save it again "
        "as .xlsx and import that; if that does not help, report this message",
        "zh": "{path}：无法读取（{kind}，位置 {place}）；请用 Excel 打开，重新另存为 .xlsx 后导入；"
        "仍不行请把这条消息反馈给维护人员",
    },
    "imp_msg.db_full": {
        "en": "{path}: the disk is full, nothing of this import was written; free some space "
        "and run the same command again",
        "zh": "{path}：磁盘已满，本次导入未写入任何数据；请清理出空间后重新运行同一命令",
    },
    "imp_msg.db_read_only": {
        "en": "{path}: the database cannot be written (read-only file or folder, or a read-only "
        "disk); nothing of this import was written; check its permissions (callroom doctor)",
        "zh": "{path}：数据库无法写入（文件或目录只读，或磁盘只读）；本次导入未写入任何数据；"
        "请检查权限（callroom doctor）",
    },
    "imp_msg.db_busy": {
        "en": "{path}: the database stayed busy for too long; nothing of this import was "
        "written; run the same command again in a moment",
        "zh": "{path}：数据库长时间繁忙；本次导入未写入任何数据；请稍后重新运行同一命令",
    },
    "imp_msg.db_broken": {
        "en": "{path}: the database could not be written ({detail}); nothing of this import was "
        "written; run callroom doctor",
        "zh": "{path}：数据库写入失败（{detail}）；本次导入未写入任何数据；请运行 callroom doctor",
    },
    "imp_msg.rejects_unwritable": {
        "en": "{path}: the rejected rows could not be written anywhere ({detail}); nothing was "
        "imported",
        "zh": "{path}：拒收行文件在任何位置都无法写入（{detail}）；本次未导入",
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
        "en": "{path}: a web page saved with a spreadsheet name, with no table in it (a login or "
        "error page?); export the list from the system again, or open it in Excel and use Save "
        "As > Excel Workbook (.xlsx), then import that file",
        "zh": "{path}：这是用表格文件名保存的网页，里面没有表格（可能是登录页或出错页）；"
        "请从系统重新导出名单，或用 Excel 打开后“另存为 > Excel 工作簿(.xlsx)”，再导入新文件",
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
    "reject.damaged_by_excel": {
        "zh": "号码被Excel截断（只剩6位有效数字），请重新采集",
        "en": "cut by Excel to 6 digits: re-collect",
    },
    "phone_flag.guardian": {
        "zh": "这是家长/监护人的号码：找家长，问的是孩子",
        "en": "the parent's or guardian's number: ask the parent about the child",
    },
    "exp.remark.guardian": {"zh": "号码为家长/监护人的", "en": "the guardian's number"},
    "exp.remark.landline_fallback": {
        "zh": "本人手机为空，用的是座机/其他号码",
        "en": "mobile empty: a landline or other number used",
    },
    "imp_msg.guardian_phone": {
        "zh": "{where}：名单是学生/儿童的，没有本人号码：拨打家长号码（{column}），每张卡片都会注明",
        "en": "{where}: a list of children with no number of their own: their guardian's "
        "number ({column}) is called, and each card says so",
    },
    "reject.org_line": {
        "zh": "单位/公用号码，非本人",
        "en": "an organisation's line, not theirs",
    },
    "reject.others_only": {
        "zh": "只有他人号码",
        "en": "only others' numbers",
    },
    "imp_msg.shared_lines": {
        "zh": "{where}：{columns} 中同几个号码出现在许多行，是单位或负责人的电话：只作为附加信息显示在"
        "卡片上，不当作居民本人的号码拨打，也不按它合并",
        "en": "{where}: {columns}: the same few numbers on many rows, an organisation's or an "
        "officer's line: shown on the cards as information, never called as the resident's "
        "number nor merged on",
    },
    "phone_flag.landline_fallback": {
        "zh": "本人手机为空, 用的是座机/其他号码",
        "en": "mobile empty: landline or other number",
    },
    "imp.map_form": {
        "en": "--map {pair!r}: write it as LETTER=field or HEADER=field, e.g. --map C=phone or "
        "--map '联系号码=phone'",
        "zh": "--map {pair!r}：请写成 列字母=字段 或 表头=字段，例如 --map C=phone 或 "
        "--map '联系号码=phone'",
    },
    "imp.ask.title": {
        "en": "{file}{sheet}: which column is the resident's own phone number?",
        "zh": "{file}{sheet}：哪一列是居民本人的电话？",
    },
    "imp.ask.sheet": {"en": ", sheet {sheet}", "zh": "，工作表 {sheet}"},
    "imp.ask.header": {"en": "  {header}:", "zh": "  {header}："},
    "imp_msg.header_at": {"en": "header (row {row})", "zh": "表头（第 {row} 行）"},
    "imp_msg.no_header_row": {"en": "columns (no header row)", "zh": "各列（没有表头行）"},
    "imp.ask.candidate": {
        "en": "[{n}] {label}: {valid}/{total} valid, e.g. {sample} ({whose})",
        "zh": "[{n}] {label}：{valid}/{total} 个有效，如 {sample}（{whose}）",
    },
    "imp.ask.best": {"en": "  <- best guess", "zh": "  <- 最可能"},
    "imp.ask.keys": {
        "en": "Enter takes {letter}; type another letter or number to pick that column; q stops. "
        "The choice is remembered for lists with this header.",
        "zh": "回车 = 用 {letter} 列；输入其他列字母或序号改选；q = 停止。"
        "选择会被记住，以后同样表头的名单直接导入。",
    },
    "imp.ask.prompt": {"en": "Phone column", "zh": "电话列"},
    "imp.ask.again": {
        "en": "{answer}: not a column of this sheet; type its letter (A, B, ...) or q",
        "zh": "{answer}：不是本表的列；请输入列字母（A、B……）或 q",
    },
    "imp.mappings.none": {
        "en": "No layouts remembered yet: they are saved when you confirm a phone column or "
        "import with --map.",
        "zh": "还没有记住的列对应：确认电话列或用 --map 导入后会自动记住。",
    },
    "imp.mappings.title": {"en": "Remembered layouts", "zh": "已记住的列对应"},
    "imp.mappings.columns": {"en": "columns", "zh": "列"},
    "imp.mappings.header": {"en": "header", "zh": "表头"},
    "imp.mappings.saved": {"en": "saved", "zh": "保存"},
    "imp.mappings.used": {"en": "uses", "zh": "次数"},
    "imp.mappings.map": {"en": "--map", "zh": "--map"},
    "imp.mappings.confirmed": {"en": "confirmed", "zh": "确认"},
    "imp.mappings.no_such": {
        "en": "no remembered layout #{id} (see callroom mappings)",
        "zh": "没有编号为 #{id} 的列对应（见 callroom mappings）",
    },
    "imp.mappings.forgotten": {
        "en": "Forgot layout #{id}: the next list with that header is looked at afresh.",
        "zh": "已忘记列对应 #{id}：以后同样表头的名单会重新识别。",
    },
    "imp.not_data": {"zh": "非数据行", "en": "Not data"},
    "imp.not_data_hint": {
        "zh": "重复表头、示例行、填写说明，已跳过",
        "en": "repeated headers, examples, notes: skipped",
    },
    "imp.other_phones": {"zh": "他人号码", "en": "Others' numbers"},
    "imp.other_phones_hint": {
        "zh": "家属、联系人等，作为附加信息显示，不拨打不查重",
        "en": "relatives, contacts: shown on the card, not dialled or deduplicated",
    },
    "imp.guardians": {"zh": "拨打家长号码", "en": "Guardian's number called"},
    "imp.guardians_hint": {
        "zh": "儿童/学生名单，没有本人号码，卡片上注明",
        "en": "children with no number of their own: said on the card",
    },
    "imp.fallbacks": {"zh": "改用备用号码", "en": "Other number used"},
    "imp.fallbacks_hint": {
        "zh": "手机为空，用座机等本人号码并标注",
        "en": "main number empty: the landline, flagged",
    },
    "imp.secret": {"zh": "未读取的敏感列", "en": "Columns never read"},
    "imp.other_documents": {"zh": "护照等其他证件", "en": "Passports, permits"},
    "imp.no_place": {
        "zh": "名单没有来源地（去过的地方）列：卡片话术改用不提地名的说法，导出的来源地列为空。"
        "如名单其实有这一列，导入时用 --map 列名=place 指定。",
        "en": "The list has no place column (where the resident has been): the card's script "
        "uses its wording without a place and the export's place column stays empty. If the "
        "list has one under another header, name it with --map HEADER=place when importing.",
    },
    "imp.layout_used": {
        "zh": "按已记住的列对应导入（callroom mappings）",
        "en": "Imported by a remembered layout (callroom mappings)",
    },
    "imp.layout_saved": {
        "zh": "已记住此表头的列对应，下次同样的名单直接导入",
        "en": "Layout remembered: the next list with this header imports without asking",
    },
    "imp.more": {"zh": "行另见拒收文件", "en": "more in the rejects file"},
    "imp.rejects_file": {"zh": "拒收行已写入 {path}", "en": "Rejected rows written to {path}"},
    "imp.bad_deadline": {
        "zh": "--deadline {value}：请写成时间，例如 18:00、+2h 或 明天12点",
        "en": "--deadline {value}: use a time like 18:00, +2h or tomorrow 12",
    },
    "imp.nothing_plain": {"zh": "本次导入未写入任何数据。", "en": "Nothing was imported."},
    "imp_msg.text_named_workbook": {
        "en": "{path}: the name says {suffix}, but the file is not an Excel workbook: it is plain "
        "text{zip}. Read as text, it cannot be used either:\n{problem}\nPerhaps the extension "
        "was changed or another file was exported: export it again from its system, or open it "
        "in Excel and save it as .xlsx",
        "zh": "{path}：文件名是 {suffix}，但内容不是 Excel 工作簿，而是纯文本{zip}。当作文本读，"
        "也用不了：\n{problem}\n可能改过扩展名或导出了别的文件：请从原系统重新导出，或用 "
        "Excel 打开后另存为 .xlsx",
    },
    "imp_msg.not_zip": {
        "en": " (an .xlsx or .ods file is a zip archive; this one is not)",
        "zh": "（.xlsx 和 .ods 文件是 zip 压缩包，这个不是）",
    },
    "imp_msg.zip_cut_short": {
        "en": "the zip archive inside is cut short: the file was not downloaded or copied whole",
        "zh": "文件内的压缩包不完整：文件没有下载完或没有复制完整",
    },
    "imp_msg.workbook_damaged": {
        "en": "its inner structure is not that of a workbook",
        "zh": "文件内部结构不是工作簿",
    },
    "imp.nothing": {
        "zh": "本次导入未写入任何数据。修正后重新运行同一命令即可。",
        "en": "Nothing was imported. Fix the file and run the same command again.",
    },
    "imp.interrupted": {
        "zh": "已中断：本次导入未写入任何数据。",
        "en": "Interrupted: nothing of this import was written.",
    },
}
