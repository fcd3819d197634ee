"""The command line's help: the words of Typer's help screen, and the Chinese of every command's,
option's and argument's help (callroom/cli_help.py puts them in place).

The English of a command's help is its docstring or ``help=`` in the code; HELP_ZH holds its
Chinese, keyed by what the user types: the command path, then an option's long name or an
argument's metavar. tests/test_cli_help.py fails when one is missing or left over. The help is
Rich markup: a literal [ is written \\[.
"""

STRINGS: dict[str, dict[str, str]] = {
    "clihelp.usage": {"zh": "用法:", "en": "Usage:"},
    "clihelp.arguments": {"zh": "参数", "en": "Arguments"},
    "clihelp.options": {"zh": "选项", "en": "Options"},
    "clihelp.commands": {"zh": "命令", "en": "Commands"},
    "clihelp.default": {"zh": "[默认: {}]", "en": "[default: {}]"},
    "clihelp.required": {"zh": "[必填]", "en": "[required]"},
    "clihelp.help": {"zh": "显示本帮助并退出。", "en": "Show this message and exit."},
}

_FORMATS = ".xlsx .xls .ods .csv .txt"
_LANG = "界面语言: zh 或 en。"
_OPERATOR = "拨打员姓名 (默认取配置文件, 否则为登录名)。"
_SHEET = "只读取这个工作表。"
_DRY_RUN = "只显示汇总, 不写入任何内容。"
_ONE_LIST = "只看一份名单, 按编号或名称。"

HELP_ZH: dict[str, str] = {
    "callroom": "流调电话名单拨打工具: 一次一张卡片, 一键记录结果。",
    "callroom --config": "配置文件 (未给出时用 $CALLROOM_CONFIG, 否则用 ./callroom.toml)。",
    "callroom --lang": _LANG,
    "callroom --operator": _OPERATOR,
    "callroom --version": "显示版本号。",
    "callroom init": "写入带注释的 callroom.toml (如果还没有) 并创建数据库。\n\n"
    "指定共享用户组时: 数据库目录设为 setgid 2770, 数据库文件设为 0660, 都归该组。\n\n"
    "要共享已有的工作区: 在配置中设好 shared_group 后再运行一次 (见 doctor)。",
    "callroom init --shared-group": "通过 SSH 共用此工作区的拨打员所在的 Unix 用户组 "
    "(仅在新建配置文件时使用)。",
    "callroom status": "按状态统计任务数, 按结果统计通话次数。",
    "callroom import": "导入当天的名单: 按表头文字和单元格内容找出表头和各列, 核对电话和身份证号, "
    "重复的人关联或合并, 要么全部导入, 要么都不导入。电话列不确定时在终端上询问 "
    "(不在终端时提示该给哪个 --map)。",
    "callroom import FILES": f"名单文件: {_FORMATS}",
    "callroom import --batch": "名单名称 (默认为文件名)。",
    "callroom import --script": "这些名单使用的话术。",
    "callroom import --deadline": "回报截止时间: 18:00, +3h, 明天12点。",
    "callroom import --priority": "'urgent': 整份名单排到队列最前。",
    "callroom import --map": "按列字母或表头指定列: C=phone, '联系号码=phone' (字段: phone, "
    "alt_phone, other_phone, name, id_number, id_type, place, arrival, address, note, extra, "
    "ignore)。表头相同的名单以后会沿用。",
    "callroom import --sheet": _SHEET,
    "callroom import --dry-run": _DRY_RUN,
    "callroom import --again": "文件以前导入过也再导入一次。",
    "callroom report": "半小时一报的进度数字: 名单, 结果, 比率, 拨打员。",
    "callroom report --date": "日期 YYYY-MM-DD (默认今天)。",
    "callroom report --batch": _ONE_LIST,
    "callroom report --format": "table (在终端显示), chat (群聊消息, 40 列宽), "
    "json (个人信息已遮盖) 或 csv (用 Excel 打开)。",
    "callroom report --reveal": "json: 显示姓名, 电话, 地址和备注 (限组长; 记入审计)。",
    "callroom report --output": "写入这个文件 (权限 0600)。",
    "callroom export": "按区里的格式导出结果 (xlsx/csv, 权限 0600, 可放心用 Excel 打开; 限组长)。",
    "callroom export --batch": _ONE_LIST,
    "callroom export --date": "这一天的名单, YYYY-MM-DD。",
    "callroom export --format": "xlsx 或 csv。",
    "callroom export --template": "callroom.toml 中的模板; 只写 --template 则列出所有模板。",
    "callroom export --output": "写入的文件。",
    "callroom export --field-visits": "改为导出上门排查名单。",
    "callroom export --route": "上门排查名单按步行路线排列: 小区, 楼栋, 单元, 房号。",
    "callroom doctor": "检查配置, 角色, 权限 (共享用户组), 数据完整性, 数据库结构和被占用的卡片。",
    "callroom doctor --fix": "修复本账号有权修复的: 自己文件的用户组和权限, "
    "已结束的会话占用的卡片。",
    "callroom backup": "用 SQLite 在线备份复制数据库, 拨打员工作时也可放心进行: 先校验, "
    "再整个写入, 不会只写一半 (权限 0600, 有共享用户组时 0660)。",
    "callroom backup TARGET": "备份文件 (默认: 数据库旁的 callroom-backup-YYYYMMDD-HHMM.db)。",
    "callroom backup --force": "覆盖已有的文件。",
    "callroom drill": "在临时数据库上模拟高峰日: 紧急任务的等待时间和每小时解决的任务数。",
    "callroom drill --tasks": "高峰名单中的任务数。",
    "callroom drill --urgent": "紧急任务的比例, 例如 5%。",
    "callroom drill --callers": "在岗拨打员人数。",
    "callroom drill --minutes": "模拟的一天有多少分钟。",
    "callroom drill --seed": "随机种子: 种子相同, 模拟的一天也相同。",
    "callroom drill --priority": "紧急任务优先拨打。",
    "callroom drill --odds": "各结果的比例, 例如 verified=0.5,no_answer=0.3。",
    "callroom drill --call-seconds": "接通的电话平均通话多少秒。",
    "callroom drill --format": "table 或 json。",
    "callroom lead": "组长的实时进度面板: 名单, 比率, 拨打员, 待处理清单和操作。",
    "callroom call": "拨打界面: 一次一张卡片, 一键记录一个结果。与直接运行 `callroom` 相同。",
    "callroom call --operator": _OPERATOR,
    "callroom call --lang": _LANG,
    "callroom demo": "用示例名单在临时工作区里试用 callroom (不会动你的数据)。",
    "callroom demo --no-open": "只建好工作区并显示其路径, 不打开界面。",
    "callroom demo --dir": "在这个目录里建 (默认: 新建一个临时目录)。",
    "callroom mappings": "按表头记住的列对应: 某种名单中哪一列是电话 (以及其他各列), "
    "由人确认过或用 --map 指定过。",
    "callroom mappings forget": "忘掉一个记住的列对应: 下一份同样表头的名单重新识别。",
    "callroom mappings forget LAYOUT_ID": "`callroom mappings` 显示的 # 编号。",
    "callroom results": "卫健系统的核酸结果: 导入 (名单中抵深后已做核酸的人不再拨打), "
    "查看已有的结果, 重新匹配, 清除。",
    "callroom results import": "读取核酸结果导出文件, 结案抵深后已做核酸的人的未完成任务。\n\n"
    "每次有新的导出文件就运行一次: 同一个文件导入两次不会重复添加。先按身份证号匹配 "
    "(两边都有效时), 否则按居民本人的任一电话号码; 从不按姓名匹配。",
    "callroom results import FILES": f"导出文件: {_FORMATS}",
    "callroom results import --map": "按列字母或表头指定列: C=id_number, '采样时间=test_time' "
    "(字段: phone, id_number, name, test_time, site, result, ignore)。",
    "callroom results import --sheet": _SHEET,
    "callroom results import --dry-run": _DRY_RUN,
    "callroom results match": "用已有的核酸结果重新匹配所有未完成的任务 "
    "(改了 callroom.toml 的 \\[results] 之后, 或导入时提示匹配未完成时)。",
    "callroom results purge": "永久删除某天之前采样的核酸结果 (安全删除; 限组长)。\n\n"
    "被它们结案的任务仍按已做核酸结案; 其采样时间和采样点被删除。",
    "callroom results purge --before": "删除这一天之前采样的结果, YYYY-MM-DD。",
    "callroom results purge --yes": "不再询问 (用于脚本)。",
    # the inbound desk (#14)
    "callroom drill --inbound": "模拟 N 个居民来电 (来电受理), 分级排队与先来先办对比。",
    "callroom drill --outbound": "与 --inbound 同用: 同一队列中已有的外呼任务数。",
    "callroom roster": "重点人群白名单: 按小区和类别统计人数, 以及 import。",
    "callroom roster import": "导入各小区的重点人群白名单 (与名单导入相同的读取规则)。显示新增, "
    "变更和删除的人, 然后在一个事务中替换这些小区; 电话或身份证号相同的未完成任务加上重点标记和小区。",
    "callroom roster import FILES": f"白名单文件: {_FORMATS}",
    "callroom roster import --compound": "文件中没有小区列时, 这些文件所属的小区。",
    "callroom roster import --replace-all": "替换整个白名单 (文件中没有的小区被删除)。",
    "callroom roster import --map": "按列字母或表头指定列: C=phone (字段: phone, alt_phone, name, "
    "id_number, compound, building, unit, room, category, address, note, ignore)。",
    "callroom roster import --sheet": _SHEET,
    "callroom roster import --dry-run": "只显示会有哪些变化, 不写入任何内容。",
    "callroom appeals": "来电诉求按状态统计: 待回拨, 待报送, 已报送, 已审核; 以及 export 和 import-results。",
    "callroom appeals export": "按审核系统的导入格式 (callroom.toml 的 [appeals]) 写出待报送的诉求, "
    "并标记为已报送 (带报送批次号): 要么全部写出, 要么都不写; 权限 0600 (共享组 0660); 记入审计; "
    "设置 [roles] 时限组长。",
    "callroom appeals export --output": "写入这个文件 (默认当前目录下 appeals-YYYYMMDD-HHMM.xlsx)。",
    "callroom appeals export --format": "xlsx (默认) 或 csv。",
    "callroom appeals import-results": "读回审核结果 (通过, 或不通过及原因): 通过的结案, 不通过的回到队列, "
    "原因显示在卡片上。在一个事务中完成; 设置 [roles] 时限组长。",
    "callroom appeals import-results FILES": "审核结果文件: xlsx, csv 等。",
    "callroom appeals import-results --map": "按列字母或表头指定列: E=decision (字段: case, "
    "decision, reason, id_number, phone, name, ignore)。",
    "callroom appeals import-results --sheet": _SHEET,
    "callroom appeals import-results --dry-run": "只显示会怎样处理, 不写入任何内容。",
    "callroom report --all-offices": "街道共用数据库: 显示所有社区的名单, 不只 [general] office 的。",
    "callroom export --all-offices": "街道共用数据库: 导出所有社区的名单, 不只 [general] office 的。",
    "callroom lead --all-offices": "街道共用数据库: 显示所有社区的名单, 不只 [general] office 的。",
    "callroom report --by": "office: 街道各社区按完成率、再按核酸匹配率排名 (协调员的表; 任一 --format)。",
}
