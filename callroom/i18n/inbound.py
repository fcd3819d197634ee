"""The inbound desk: roster, intake, forms, pledge, appeals, its figures and its config keys."""

_CATEGORIES = {
    "elderly": ("老人", "elderly"),
    "bedridden": ("卧床", "bedridden"),
    "illness": ("慢病重病", "ill"),
    "pregnant": ("孕妇", "pregnant"),
    "infant": ("婴幼儿", "infant"),
    "disabled": ("残障", "disabled"),
    "other": ("其他", "other"),
}

_APPEAL_COLUMNS = {
    "row": ("序号", "No."),
    "batch_no": ("报送批次", "Batch"),
    "case": ("受理编号", "Case No."),
    "group": ("人群类别", "Group"),
    "phone": ("联系电话", "Phone"),
    "name": ("姓名", "Name"),
    "id_number": ("身份证号", "ID number"),
    "compound": ("小区", "Compound"),
    "address": ("住址", "Address"),
    "flags": ("重点标记", "Flags"),
    "roster": ("白名单类别", "Roster"),
    "first_contact": ("首次来电时间", "First call"),
    "intake_at": ("受理时间", "Taken at"),
    "intake_by": ("受理人", "Taken by"),
    "pledge": ("已承诺", "Pledged"),
    "pledge_version": ("承诺书版本", "Pledge version"),
    "pledge_at": ("承诺时间", "Pledged at"),
    "pledge_by": ("承诺记录人", "Pledge taken by"),
    "note": ("备注", "Note"),
    "previous_reason": ("上次退回原因", "Rejected before"),
}

STRINGS: dict[str, dict[str, str]] = {
    # -- config -----------------------------------------------------------------------------
    "cfg.p.head_start": {
        "en": "must be minutes between 0 and {max} (a week)",
        "zh": "必须是 0 到 {max} 之间的分钟数（一周）",
    },
    "cfg.p.form": {
        "en": "must name a form (letters, digits, '_' or '-')",
        "zh": "必须是表单名称（字母、数字、_ 或 -）",
    },
    "cfg.p.flags": {
        "en": "must be a list of flags out of {known}",
        "zh": "必须是标记列表，可选：{known}",
    },
    "cfg.groups_list": {
        "en": "{source}: [[inbound.groups]] must list 1 to 9 groups (digit keys 1-9)",
        "zh": "{source}：[[inbound.groups]] 须列出 1 到 9 个人群（数字键 1-9）",
    },
    "cfg.group_table": {
        "en": "{where}: a group is a table with code, zh, en and form",
        "zh": "{where}：每个人群须是包含 code、zh、en、form 的表",
    },
    "cfg.group_unknown": {
        "en": "{where}: unknown key {key} (known: {known})",
        "zh": "{where}：未知的键 {key}（可用：{known}）",
    },
    "cfg.group_missing": {"en": "{where}: {key} is missing", "zh": "{where}：缺少 {key}"},
    # -- doctor: the audit chain and the forms ----------------------------------------------
    "doctor.check.audit_chain": {"en": "audit chain", "zh": "审计链"},
    "doctor.check.forms": {"en": "inbound forms", "zh": "来电表单"},
    "doctor.chain_ok": {
        "en": "{n} events, every link holds; head #{id} {hash} (note it: it vouches for "
        "everything before it)",
        "zh": "共 {n} 条审计记录，哈希链完整；链头 #{id} {hash}（请记下，可证明此前记录未被改动）",
    },
    "doctor.chain_edited": {
        "en": "the audit log was altered: event #{id} does not match its hash (edited after it "
        "was written). Events up to #{good} are intact; from #{id} on they cannot be trusted. "
        "Keep a copy of the database and tell whoever is responsible for it.",
        "zh": "审计记录被改动：第 #{id} 条记录与其哈希不符（写入后被修改）。#{good} 及之前的记录完整，"
        "#{id} 起的记录不可信。请保留数据库副本并报告负责人。",
    },
    "doctor.chain_missing_link": {
        "en": "the audit log was altered: the link before event #{id} is broken (an event was "
        "deleted or inserted there). Events up to #{good} are intact; from #{id} on they cannot "
        "be trusted. Keep a copy of the database and tell whoever is responsible for it.",
        "zh": "审计记录被改动：第 #{id} 条之前的链接断开（有记录被删除或插入）。#{good} 及之前的记录完整，"
        "#{id} 起的记录不可信。请保留数据库副本并报告负责人。",
    },
    "doctor.chain_no_hash": {
        "en": "the audit log was altered: event #{id} has no hash (written around callroom). "
        "Events up to #{good} are intact.",
        "zh": "审计记录被改动：第 #{id} 条记录没有哈希（不是由 callroom 写入的）。#{good} 及之前的记录完整。",
    },
    "doctor.chain_unread": {
        "en": "not checked: the audit log could not be read ({detail})",
        "zh": "未检查：无法读取审计记录（{detail}）",
    },
    "doctor.forms_ok": {"en": "{n} groups, every form loads", "zh": "{n} 个人群，表单均可用"},
    "doctor.form_broken": {
        "en": "the form of group {group} cannot be used: {detail}",
        "zh": "人群 {group} 的表单无法使用：{detail}",
    },
    # -- flags and roster categories ---------------------------------------------------------
    "flag.disabled": {"zh": "残障", "en": "disabled"},
    **{f"roster.cat.{k}": {"zh": zh, "en": en} for k, (zh, en) in _CATEGORIES.items()},
    # -- form answers ------------------------------------------------------------------------
    "answer.err.phone": {"zh": "不是有效的电话号码", "en": "Not a valid phone number"},
    "answer.err.id_check": {
        "zh": "身份证号校验位不符，请核对",
        "en": "ID check digit wrong: check it",
    },
    "answer.err.id_date": {"zh": "身份证号中的出生日期无效", "en": "Impossible birth date in ID"},
    "answer.err.id_format": {
        "zh": "不是身份证号（18位）或港澳通行证号",
        "en": "Not an ID number (18 characters) or a permit",
    },
    "answer.ok_id": {"zh": "校验通过", "en": "check digit OK"},
    # -- roster import -----------------------------------------------------------------------
    "imp_msg.roster_empty": {
        "en": "{path}: no resident with a phone or an ID number in {rows} rows: nothing imported",
        "zh": "{path}：{rows} 行中没有一人有电话或身份证号，未导入任何内容",
    },
    "imp_msg.roster_too_big": {
        "en": "{path}: more than {max} residents: this is not a roster of vulnerable residents",
        "zh": "{path}：超过 {max} 人，不像重点人群白名单，请确认文件",
    },
    "imp_msg.roster_no_compound": {
        "en": "{path}: no compound (小区) column: give the compound with --compound NAME",
        "zh": "{path}：没有小区列，请用 --compound 小区名 指定",
    },
    "imp_msg.roster_no_compound_column": {
        "en": "{where}: no compound (小区) column: give the compound with --compound NAME",
        "zh": "{where}：没有小区列，请用 --compound 小区名 指定",
    },
    "imp_msg.roster_no_contact": {
        "en": "{where}: no column of phone numbers or ID numbers; the header reads:\n  {shown}\n"
        "Name the column with --map 'C=phone' or --map 'D=id_number'.",
        "zh": "{where}：找不到电话或身份证号列，表头为：\n  {shown}\n请用 --map 'C=phone' 或 "
        "--map 'D=id_number' 指定。",
    },
    "imp_msg.roster_no_sheet": {
        "en": "{path}: no sheet with a roster in it",
        "zh": "{path}：没有包含白名单的工作表",
    },
    "reject.no_contact": {"zh": "无电话也无身份证号", "en": "no phone and no ID number"},
    "roster.title": {"zh": "重点人群白名单", "en": "Roster of vulnerable residents"},
    "roster.empty": {
        "zh": "白名单为空。用 callroom roster import 文件 导入各小区的名单。",
        "en": "The roster is empty. Load each compound's list with callroom roster import FILE.",
    },
    "roster.col.compound": {"zh": "小区", "en": "Compound"},
    "roster.col.total": {"zh": "人数", "en": "People"},
    "roster.read": {
        "zh": "{file}：读取 {rows} 行，{entries} 人（小区：{compounds}）",
        "en": "{file}: {rows} rows read, {entries} people (compounds: {compounds})",
    },
    "roster.read_more": {
        "zh": "  重复 {repeated} 人已合并；退回 {rejected} 行（见 {rejects}）",
        "en": "  {repeated} repeated people merged; {rejected} rows rejected (see {rejects})",
    },
    "roster.diff": {
        "zh": "新增 {added}，变更 {changed}，删除 {removed}，不变 {unchanged}",
        "en": "added {added}, changed {changed}, removed {removed}, unchanged {unchanged}",
    },
    "roster.added": {"zh": "新增", "en": "added"},
    "roster.changed": {"zh": "变更", "en": "changed"},
    "roster.removed": {"zh": "删除", "en": "removed"},
    "roster.more": {"zh": "  ... 另有 {n} 人", "en": "  ... and {n} more"},
    "roster.kept": {
        "zh": "未涉及的小区保持不变：{compounds}",
        "en": "Compounds not in these files are kept as they were: {compounds}",
    },
    "roster.replaced": {
        "zh": "白名单已更新（{compounds} 个小区），现有 {entries} 人；{flagged} 个待拨任务获得重点标记。",
        "en": "Roster replaced ({compounds} compounds): {entries} people now; {flagged} open tasks "
        "took their flags.",
    },
    "roster.dry_run": {
        "zh": "试运行：以上为将要的变更，未写入任何内容。",
        "en": "Dry run: the changes above were not written.",
    },
    "roster.field.categories": {"zh": "类别", "en": "category"},
    "roster.field.phones": {"zh": "电话", "en": "phones"},
    "roster.field.place": {"zh": "住址", "en": "address"},
    "roster.field.name": {"zh": "姓名", "en": "name"},
    "roster.field.other": {"zh": "其他", "en": "other"},
    "roster.line": {"zh": "白名单", "en": "Roster"},
    "imp.roster": {"zh": "白名单匹配", "en": "On the roster"},
    "imp.roster_hint": {
        "zh": "按电话或身份证号匹配，已加重点标记与小区",
        "en": "by phone or ID number: the entry's flags and compound added",
    },
    # -- intake --------------------------------------------------------------------------------
    "intake.title": {"zh": "来电受理", "en": "Inbound call"},
    "intake.phone": {"zh": "来电号码", "en": "Caller's number"},
    "intake.phone_hint": {
        "zh": "任意格式均可；Enter 下一步",
        "en": "any format; Enter: next",
    },
    "intake.group": {"zh": "人群（按数字）", "en": "Group (press its digit)"},
    "intake.known_none": {"zh": "新来电：无记录", "en": "New caller: nothing on record"},
    "intake.known_tasks": {"zh": "已有记录 {n} 条", "en": "{n} on record"},
    "intake.known_roster": {"zh": "白名单", "en": "Roster"},
    "intake.pledge": {"zh": "保证书", "en": "pledge"},
    "intake.pledge_title": {
        "zh": "请向来电人宣读保证书，并确认其口头同意",
        "en": "Read the pledge to the caller and confirm they agree",
    },
    "intake.pledge_keys": {
        "zh": "y 来电人同意（记录）   Esc 返回",
        "en": "y the caller agrees (recorded)   Esc back",
    },
    "intake.pledged": {"zh": "已同意保证书 {time}", "en": "Pledge agreed {time}"},
    "intake.pledge_pending": {"zh": "保证书：未确认", "en": "Pledge: not yet"},
    "intake.urgent_on": {"zh": "绿色通道（紧急）", "en": "Green channel (urgent)"},
    "intake.missing": {"zh": "还缺：{fields}", "en": "Still needed: {fields}"},
    "intake.complete": {"zh": "信息齐全，Ctrl+S 办结", "en": "Complete: Ctrl+S to finish"},
    "intake.keys": {
        "zh": "Enter 下一项  Up/Down 移动  Ctrl+S 办结  Ctrl+Q 排队回拨  Ctrl+G 绿色通道  Esc 放弃",
        "en": "Enter next  Up/Down move  Ctrl+S finish  Ctrl+Q queue for a call back  "
        "Ctrl+G green channel  Esc cancel",
    },
    "intake.key": {"zh": "来电受理", "en": "inbound"},
    "key.intake": {"zh": "来电", "en": "inbound"},
    "intake.key.queue": {"zh": "排队回拨", "en": "queue"},
    "intake.key.urgent": {"zh": "绿色通道", "en": "urgent"},
    "intake.key.prev": {"zh": "上一项", "en": "previous"},
    "intake.key.next": {"zh": "下一项", "en": "next"},
    "intake.key.cancel": {"zh": "放弃", "en": "cancel"},
    "intake.saved_complete": {
        "zh": "已受理 {group} {name} - 信息齐全，待报送",
        "en": "Taken: {group} {name} - complete, ready to submit",
    },
    "intake.saved_queued": {
        "zh": "已登记 {group} {name} - 已排队等待回拨",
        "en": "Registered: {group} {name} - queued for a call back",
    },
    "intake.need_phone": {"zh": "请先输入有效的来电号码", "en": "Type a valid number first"},
    "intake.need_group": {"zh": "请选择人群（数字键）", "en": "Pick a group (digit key)"},
    "intake.cancel_confirm": {
        "zh": "已填写的内容将不会保存。再按 Esc 放弃。",
        "en": "What you typed will not be saved. Esc again to cancel.",
    },
    "intake.failed": {"zh": "受理未保存：{reason}", "en": "Intake not saved: {reason}"},
    "intake.unknown_group": {
        "en": "no inbound group {group} (known: {known})",
        "zh": "没有人群 {group}（可用：{known}）",
    },
    "intake.form_broken": {
        "en": "the form of {group} cannot be used: {detail}",
        "zh": "{group} 的表单无法使用：{detail}",
    },
    "intake.incomplete": {
        "en": "the case is not complete: {fields}",
        "zh": "信息不全：{fields}",
    },
    "intake.no_verified_outcome": {
        "en": "callroom.toml has no final outcome with verified = true to record a completed "
        "case as",
        "zh": "callroom.toml 中没有 kind = final 且 verified = true 的通话结果，无法记录办结",
    },
    "intake.offer": {
        "zh": "无此号码的记录 - Enter 受理来电",
        "en": "No record of this number - Enter: take the call",
    },
    # -- the case on a card ------------------------------------------------------------------
    "case.group": {"zh": "来电人群", "en": "Group"},
    "case.status": {"zh": "状态", "en": "Status"},
    "case.status.open": {"zh": "待回拨受理", "en": "to call back"},
    "case.status.ready": {"zh": "信息齐全待报送", "en": "ready to submit"},
    "case.status.submitted": {"zh": "已报送待审核", "en": "submitted"},
    "case.status.approved": {"zh": "审核通过", "en": "approved"},
    "case.status.rejected": {"zh": "被退回", "en": "rejected"},
    "case.status.closed": {"zh": "已结束", "en": "closed"},
    "case.rejected": {"zh": "退回原因", "en": "Rejected"},
    "case.first_contact": {"zh": "首次来电", "en": "First call"},
    "case.pledge_needed": {
        "zh": "办结前须宣读保证书并确认同意",
        "en": "Read the pledge and confirm agreement to finish",
    },
    # -- appeals -------------------------------------------------------------------------------
    "appeal.none": {
        "en": "no appeal is ready for review (complete cases not yet submitted)",
        "zh": "没有待报送的诉求（信息齐全且未报送的个案）",
    },
    "appeal.bad_format": {
        "en": "unknown format {format}: use {known}",
        "zh": "未知格式 {format}，请用 {known}",
    },
    "appeal.sheet": {"zh": "诉求报送", "en": "Appeals"},
    **{f"appeal.col.{k}": {"zh": zh, "en": en} for k, (zh, en) in _APPEAL_COLUMNS.items()},
    "appeal.exported": {
        "zh": "已报送批次 {batch}：{n} 个诉求写入 {path}",
        "en": "Batch {batch}: {n} appeals written to {path}",
    },
    "appeal.lead_only": {
        "zh": "报送诉求仅限组长（当前账号 {login}）；见 callroom.toml [roles]",
        "en": "Only a lead may export appeals (this account: {login}); see [roles] in callroom.toml",
    },
    "appeal.decisions": {
        "zh": "{file}：通过 {approved}，退回 {rejected}（已回到待拨队列），待审 {pending}，"
        "此前已处理 {already}，改判 {changed}，未报送 {not_submitted}，找不到 {unknown}",
        "en": "{file}: approved {approved}, rejected {rejected} (back in the queue), pending "
        "{pending}, decided before {already}, decision changed {changed}, not submitted "
        "{not_submitted}, not found {unknown}",
    },
    "appeal.decisions_rejects": {
        "zh": "  {n} 行无法读取（见 {path}）",
        "en": "  {n} rows could not be read (see {path})",
    },
    "appeal.dry_run": {
        "zh": "试运行：以上为将要的结果，未写入任何内容。",
        "en": "Dry run: nothing was written.",
    },
    "appeal.status_title": {"zh": "来电诉求", "en": "Inbound appeals"},
    "imp_msg.decisions_empty": {
        "en": "{path}: no decision in {rows} rows (a column of 通过/驳回, approved/rejected)",
        "zh": "{path}：{rows} 行中没有审核结果（通过/驳回）",
    },
    "imp_msg.decisions_no_column": {
        "en": "{where}: no column of decisions (通过/驳回, approved/rejected); the header reads:\n"
        "  {shown}\nName it with --map 'E=decision'.",
        "zh": "{where}：找不到审核结果列（通过/驳回）；表头为：\n  {shown}\n请用 --map 'E=decision' 指定。",
    },
    "reject.decision_unclear": {"zh": "审核结果看不懂", "en": "decision not understood"},
    "reject.no_case": {
        "zh": "无受理编号、身份证号或电话",
        "en": "no case number, ID number or phone",
    },
    # the inbound desk's figures (callroom/inbound/figures.py): report, lead pane, drill
    "rep.in.title": {"zh": "来电受理", "en": "Inbound desk"},
    "rep.in.waiting": {"zh": "排队 {n} 件，最久 {oldest}", "en": "waiting {n}, oldest {oldest}"},
    "rep.in.ready": {"zh": "待报送 {n}", "en": "to submit {n}"},
    "rep.in.pending": {"zh": "待审核 {n}", "en": "decisions pending {n}"},
    "rep.in.solved": {
        "zh": "今日办结 {n} 件，每小时 {rate}",
        "en": "solved today {n}, {rate} an hour",
    },
    "rep.in.urgent": {"zh": "紧急", "en": "urgent"},
    "rep.in.all": {"zh": "全部", "en": "all"},
    "rep.in.to_intake": {
        "zh": "来电到受理({which})：中位 {m}，九成 {p}，最长 {x} 分，{n}件",
        "en": "call to intake ({which}): p50 {m} p90 {p} max {x} min, n={n}",
    },
    "rep.in.to_submission": {
        "zh": "来电到报送({which})：中位 {m}，九成 {p}，最长 {x} 分，{n}件",
        "en": "call to submission ({which}): p50 {m} p90 {p} max {x} min, n={n}",
    },
    "rep.in.to_decision": {
        "zh": "报送到审核结果：中位 {m}，九成 {p}，最长 {x} 分，{n}件",
        "en": "submission to decision: p50 {m} p90 {p} max {x} min, n={n}",
    },
    "rep.in.col.group": {"zh": "人群", "en": "Group"},
    "rep.in.col.cases": {"zh": "来电", "en": "Cases"},
    "rep.in.col.waiting": {"zh": "排队", "en": "Waiting"},
    "rep.in.col.oldest": {"zh": "最久", "en": "Oldest"},
    "rep.in.col.ready": {"zh": "待报送", "en": "To submit"},
    "rep.in.col.pending": {"zh": "待审核", "en": "Pending"},
    "rep.in.col.approved": {"zh": "通过", "en": "Approved"},
    "rep.in.col.rejected": {"zh": "退回", "en": "Rejected"},
    "rep.in.none": {"zh": "今日无来电受理", "en": "No inbound cases today"},
    "rep.in.csv.waiting": {"zh": "来电排队", "en": "Inbound waiting"},
    "rep.in.csv.status": {"zh": "来电状态", "en": "Inbound status"},
    "rep.in.csv.waits": {"zh": "来电用时(分钟)", "en": "Inbound waits (min)"},
    "rep.in.csv.median": {"zh": "中位", "en": "p50"},
    "rep.in.csv.p90": {"zh": "九成", "en": "p90"},
    "rep.in.col.solved": {"zh": "今日办结", "en": "Solved today"},
    "rep.in.col.per_hour": {"zh": "每小时办结", "en": "Solved an hour"},
    "rep.in.to_intake.csv": {"zh": "来电到受理({which})", "en": "call to intake ({which})"},
    "rep.in.to_submission.csv": {"zh": "来电到报送({which})", "en": "call to submission ({which})"},
    "rep.in.to_decision.csv": {
        "zh": "报送到审核结果{which}",
        "en": "submission to decision{which}",
    },
    "rep.in.csv.max": {"zh": "最长", "en": "max"},
    "lead.tab.inbound": {"zh": "来电", "en": "Inbound"},
    # callroom drill --inbound
    "drill.in.title": {
        "zh": "来电演练：{cases} 个来电（紧急 {share}），{callers} 名拨打员，{minutes} 分钟，"
        "队列中另有外呼任务 {outbound} 个，种子 {seed}",
        "en": "Inbound drill: {cases} calls in ({share} urgent), {callers} callers, {minutes} min, "
        "{outbound} outbound tasks in the same queue, seed {seed}",
    },
    "drill.in.col.measure": {"zh": "指标", "en": "Measure"},
    "drill.in.col.triage": {"zh": "分级排队", "en": "With triage"},
    "drill.in.col.fifo": {"zh": "先来先办", "en": "First come first served"},
    "drill.in.to_intake": {
        "zh": "来电到受理({which}) {stat}(分钟)",
        "en": "call to intake ({which}) {stat} (min)",
    },
    "drill.in.urgent_waiting": {"zh": "紧急来电仍在排队", "en": "urgent still waiting"},
    "drill.in.waiting": {"zh": "收工时仍在排队", "en": "still waiting at the end"},
    "drill.in.solved": {"zh": "办结", "en": "solved"},
    "drill.in.calls": {"zh": "通话", "en": "calls"},
    "drill.in.outbound_done": {"zh": "外呼任务完成", "en": "outbound tasks done"},
    "drill.no_groups": {
        "zh": "callroom.toml 未配置来电人群 [[inbound.groups]]",
        "en": "callroom.toml has no [[inbound.groups]]",
    },
}
