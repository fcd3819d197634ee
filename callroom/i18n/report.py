"""`callroom report` (table, chat, csv) and `callroom export`: headers, labels and messages."""

STRINGS: dict[str, dict[str, str]] = {
    # report: the table
    "rep.title": {"zh": "进度 {at}", "en": "Progress {at}"},
    "rep.scope": {
        "zh": "范围：{day}导入的名单及仍未完成的名单",
        "en": "Lists imported on {day} and lists still open",
    },
    "rep.scope_batch": {"zh": "范围：名单 {name}", "en": "List {name}"},
    "rep.col.list": {"zh": "名单", "en": "List"},
    "rep.col.done": {"zh": "完成", "en": "Done"},
    "rep.col.verified": {"zh": "核实", "en": "Verified"},
    "rep.col.due": {"zh": "截止", "en": "Due"},
    "rep.due_left": {"zh": "剩{t}", "en": "{t} left"},
    "rep.due_over": {"zh": "超时{t}", "en": "late {t}"},
    "rep.ended.title": {
        "zh": "结果：已完成 {done} 件，按结束方式",
        "en": "Outcomes: {done} done, by how they ended",
    },
    "rep.col.ended": {"zh": "完成件数", "en": "Done"},
    "rep.col.calls_on": {"zh": "通话 {day}", "en": "Calls {day}"},
    "rep.rates.title": {"zh": "口径", "en": "Rates"},
    "rep.rate.verified": {"zh": "核实率", "en": "Verified"},
    "rep.rate.response": {"zh": "应答率RR1", "en": "Response RR1"},
    "rep.rate.cooperation": {"zh": "合作率COOP1", "en": "Cooperation COOP1"},
    "rep.rate.refusal": {"zh": "拒绝率REF1", "en": "Refusal REF1"},
    "rep.rate.contact": {"zh": "接触率CON1", "en": "Contact CON1"},
    "rep.callers.title": {"zh": "拨打员", "en": "Callers"},
    "rep.callers.none": {"zh": "今天还没有人拨打", "en": "Nobody has called today"},
    "rep.chart_none": {"zh": "{label}：今天还没有通话", "en": "{label}: no calls yet today"},
    "rep.chart_range": {"zh": "{start}起", "en": "from {start}"},
    "rep.chart_max": {"zh": "最多{n}通", "en": "max {n}"},
    "rep.list.urgent": {"zh": "紧急/重点待拨", "en": "Priority waiting"},
    "rep.list.overdue": {"zh": "超时未完成", "en": "Overdue"},
    "rep.list.callbacks_due": {"zh": "到点回拨", "en": "Callbacks due"},
    "rep.list.field_visits": {"zh": "待上门", "en": "Field visits"},
    "rep.list.refused": {"zh": "拒绝/非本人", "en": "Refused/wrong person"},
    "rep.wait": {
        "zh": "紧急任务等待(分钟)：中位 {m}，九成不超过 {p}，最长 {x}，共{n}件",
        "en": "Urgent wait (min): median {m}  p90 {p}  max {x}  n={n}",
    },
    "rep.empty": {
        "zh": "没有名单。用 callroom import 名单.xlsx 导入。",
        "en": "No lists. Load one with: callroom import LIST.xlsx",
    },
    # report: the chat text (<= 40 columns a line)
    "rep.chat.title": {"zh": "【进度】{at}", "en": "Progress {at}"},
    "rep.chat.done": {"zh": "完成 {done}/{total} ({share})", "en": "done {done}/{total} ({share})"},
    "rep.chat.verified": {"zh": "核实 {n} ({share})", "en": "verified {n} ({share})"},
    "rep.chat.total": {"zh": "合计", "en": "Total"},
    "rep.chat.item": {"zh": "{label} {n}", "en": "{label} {n}"},
    # report: csv
    "rep.csv.section": {"zh": "类别", "en": "Section"},
    "rep.csv.item": {"zh": "项目", "en": "Item"},
    "rep.csv.count": {"zh": "数量", "en": "Count"},
    "rep.csv.of": {"zh": "总数", "en": "Of"},
    "rep.csv.share": {"zh": "比例(%)", "en": "Share (%)"},
    "rep.csv.lists": {"zh": "名单完成", "en": "List done"},
    "rep.csv.lists_verified": {"zh": "名单核实", "en": "List verified"},
    "rep.csv.ended": {"zh": "完成方式", "en": "Ended as"},
    "rep.csv.calls": {"zh": "通话", "en": "Calls"},
    "rep.csv.rates": {"zh": "口径", "en": "Rate"},
    "rep.csv.callers": {"zh": "拨打员通话", "en": "Caller calls"},
    "rep.csv.lists_open": {"zh": "待办", "en": "To act on"},
    # report: command line
    "rep.bad_date": {
        "zh": "--date {value}：请写成 2026-10-31 这样的日期",
        "en": "--date {value}: use the form 2026-10-31",
    },
    "rep.bad_format": {
        "zh": "--format {value}：可选 {known}",
        "en": "--format {value}: use one of {known}",
    },
    "rep.no_list": {
        "zh": "没有名为 {name} 的名单；用 callroom status 查看现有名单",
        "en": "no list {name}; `callroom status` shows the lists",
    },
    "rep.reveal_lead_only": {
        "zh": "--reveal 显示完整个人信息，仅限组长（callroom.toml 的 [roles]）；账号 {login} 不是组长",
        "en": "--reveal shows full personal data and is for leads only ([roles] in callroom.toml); "
        "account {login} is not a lead",
    },
    "rep.reveal_table": {
        "zh": "--reveal 只用于 --format json（表格、群消息和 csv 不含个人信息）",
        "en": "--reveal applies to --format json only (the table, chat and csv hold no personal data)",
    },
    "rep.written": {"zh": "报告已写入 {path}", "en": "Report written to {path}"},
    # export: headers of the template fields
    "exp.field.row": {"zh": "序号", "en": "No."},
    "exp.field.batch": {"zh": "名单", "en": "List"},
    "exp.field.seq": {"zh": "名单内序号", "en": "No. in list"},
    "exp.field.source_row": {"zh": "原表行号", "en": "Row in list"},
    "exp.field.phone": {"zh": "联系电话", "en": "Phone"},
    "exp.field.phone_raw": {"zh": "原表电话", "en": "Phone as listed"},
    "exp.field.alt_phones": {"zh": "备用电话", "en": "Other phone"},
    "exp.field.name": {"zh": "姓名", "en": "Name"},
    "exp.field.id_number": {"zh": "身份证号", "en": "ID number"},
    "exp.field.place": {"zh": "来源地", "en": "Place"},
    "exp.field.arrival": {"zh": "到达时间", "en": "Arrival"},
    "exp.field.address": {"zh": "现居住地址", "en": "Address"},
    "exp.field.source_note": {"zh": "名单备注", "en": "List note"},
    "exp.field.state": {"zh": "状态", "en": "State"},
    "exp.field.outcome": {"zh": "核查结果", "en": "Outcome"},
    "exp.field.attempts": {"zh": "拨打次数", "en": "Calls"},
    "exp.field.note": {"zh": "备注", "en": "Note"},
    "exp.field.caller": {"zh": "核查人", "en": "Caller"},
    "exp.field.time": {"zh": "核查时间", "en": "Time"},
    "exp.field.duplicate_of": {"zh": "重复任务号", "en": "Duplicate of"},
    "exp.field.remarks": {"zh": "核查提示", "en": "Remarks"},
    "exp.field.extra": {"zh": "名单其他列", "en": "the list's other columns"},
    "exp.field.answers": {"zh": "话术答案", "en": "script answers"},
    "exp.sheet": {"zh": "核查结果", "en": "Results"},
    "exp.sheet.visits": {"zh": "上门排查", "en": "Field visits"},
    "exp.sheet.route": {"zh": "上门路线", "en": "Visit route"},
    # export: remarks the district must act on
    "exp.remark.damaged_by_excel": {
        "zh": "证件号需重新采集(被Excel截断)",
        "en": "ID number must be re-collected (cut by Excel)",
    },
    "exp.remark.bad_check_digit": {
        "zh": "证件号校验位不符，请核对",
        "en": "ID check digit wrong: verify",
    },
    "exp.remark.bad_birth_date": {
        "zh": "证件号出生日期无效，请核对",
        "en": "ID birth date impossible: verify",
    },
    "exp.remark.unrecognised": {
        "zh": "证件号格式未识别，请核对",
        "en": "ID format not recognised: verify",
    },
    "exp.remark.ambiguous_8_digits": {
        "zh": "原号码只有8位，按深圳固话拨打，请核对",
        "en": "listed with 8 digits, called as a Shenzhen landline: verify",
    },
    "exp.remark.landline": {"zh": "联系电话为固话", "en": "phone is a landline"},
    # export: results that are not configured outcomes
    "exp.outcome.field_visit_done": {"zh": "上门已完成", "en": "Field visit done"},
    "exp.outcome.field_visit": {"zh": "转上门排查", "en": "Sent to field visit"},
    "exp.outcome.duplicate": {"zh": "重复(已核实)", "en": "Duplicate (verified)"},
    "exp.outcome.done": {"zh": "已完成", "en": "Done"},
    # export: command line
    "exp.done": {"zh": "已导出 {rows} 行到 {path}", "en": "Exported {rows} rows to {path}"},
    "exp.no_template": {
        "zh": "没有导出模板 {name}（现有：{known}）；模板写在 callroom.toml 的 "
        "[export.templates.模板名] 中，callroom export --template 列出全部",
        "en": "no export template {name} (known: {known}); templates live under "
        "[export.templates.NAME] in callroom.toml; callroom export --template lists them",
    },
    "exp.templates": {
        "zh": "导出模板（callroom.toml 的 [export.templates]）：",
        "en": "Export templates ([export.templates] in callroom.toml):",
    },
    "exp.template_default": {"zh": "默认", "en": "default"},
    "exp.bad_format": {
        "zh": "--format {format}：可选 xlsx 或 csv",
        "en": "--format {format}: use xlsx or csv",
    },
    "exp.no_list": {
        "zh": "没有名为 {name} 的名单；用 callroom status 查看现有名单",
        "en": "no list {name}; `callroom status` shows the lists",
    },
    "exp.no_lists_day": {
        "zh": "{day} 没有导入名单，也没有未完成的名单；用 callroom status 查看现有名单",
        "en": "no list imported on {day} and none open; `callroom status` shows the lists",
    },
    "exp.lead_only": {
        "zh": "导出结果仅限组长（callroom.toml 的 [roles]）；账号 {login} 不是组长，请联系组长导出",
        "en": "exporting results is for leads only ([roles] in callroom.toml); account {login} "
        "is not a lead: ask a lead to export",
    },
}
