"""Mistakes in callroom.toml: each names the file and the key, and what is expected."""

STRINGS: dict[str, dict[str, str]] = {
    "cfg.builtin": {"en": "built-in defaults", "zh": "内置默认配置"},
    "cfg.type": {
        "en": "{where}: expected {expected}, got {got}",
        "zh": "{where}：应为{expected}，实际是 {got}",
    },
    "cfg.t.str": {"en": "text", "zh": "文本"},
    "cfg.t.int": {"en": "a whole number", "zh": "整数"},
    "cfg.t.bool": {"en": "true or false", "zh": " true 或 false "},
    "cfg.t.list": {"en": "a list", "zh": "列表"},
    "cfg.value": {
        "en": "{where}: {problem} (got {got})",
        "zh": "{where}：{problem}（实际是 {got}）",
    },
    "cfg.p.one_of": {"en": "must be one of {options}", "zh": "必须是以下之一：{options}"},
    "cfg.p.at_most": {"en": "must be at most {max}", "zh": "不能超过 {max}"},
    "cfg.p.positive": {"en": "must be a positive whole number", "zh": "必须是正整数"},
    "cfg.p.not_negative": {"en": "must be zero or more", "zh": "必须是 0 或更大的整数"},
    "cfg.p.time": {"en": 'must be a time like "08:00"', "zh": '必须是 "08:00" 这样的时间'},
    "cfg.p.user_names": {
        "en": 'must be a list of Unix user names like ["wang", "li"]',
        "zh": '必须是 Unix 用户名的列表，例如 ["wang", "li"]',
    },
    "cfg.p.office": {
        "en": "must be a short name (at most 40 characters, one line)",
        "zh": "应为简短名称（不超过 40 个字符，单行）",
    },
    "cfg.p.db_scheme": {
        "en": "must be a file path or a postgresql:// URL (not {scheme}://)",
        "zh": "应为文件路径或 postgresql:// 地址（不是 {scheme}://）",
    },
    "cfg.p.db_name": {
        "en": "a PostgreSQL URL must name the database: postgresql://user@host:5432/callroom",
        "zh": "PostgreSQL 地址须写明数据库名：postgresql://user@host:5432/callroom",
    },
    "cfg.p.db_port": {
        "en": "the port in the URL must be a number: postgresql://user@host:5432/callroom",
        "zh": "地址中的端口须为数字：postgresql://user@host:5432/callroom",
    },
    "cfg.p.region": {
        "en": 'must be a two-letter region code like "CN"',
        "zh": '必须是两个大写字母的地区代码，例如 "CN"',
    },
    "cfg.p.settle": {
        "en": "must be between 0 and {max} milliseconds",
        "zh": "必须在 0 到 {max} 毫秒之间",
    },
    "cfg.p.dial_list": {
        "en": 'must be a list of arguments like ["linphonecsh", "dial", "{{number}}"]',
        "zh": '必须是参数列表，例如 ["linphonecsh", "dial", "{{number}}"]',
    },
    "cfg.p.dial_program": {
        "en": "the first argument must name the program",
        "zh": "第一个参数必须是程序名",
    },
    "cfg.p.dial_fill": {
        "en": "{arg}: only {{number}} and {{e164}} can be filled in",
        "zh": "{arg}：只能填入 {{number}} 和 {{e164}}",
    },
    "cfg.p.not_empty": {"en": "must not be empty", "zh": "不能为空"},
    "cfg.p.script": {"en": "must name a script", "zh": "必须写明一个话术名称"},
    "cfg.p.hotkey": {
        "en": "must be one digit or lower-case letter",
        "zh": "必须是一个数字或小写字母",
    },
    "cfg.p.code": {
        "en": "must be lower_snake_case",
        "zh": "只能用小写字母、数字和下划线，并以字母开头（如 no_answer）",
    },
    "cfg.too_big": {
        "en": "{source}: the file is {kib} KiB; a callroom.toml is at most {max} KiB. Is this "
        "the right file?",
        "zh": "{source}：文件大小 {kib} KiB，而 callroom.toml 最大 {max} KiB。请确认指定的是正确的文件。",
    },
    "cfg.too_deep": {
        "en": "{source}: lists or tables nested far too deeply for a callroom.toml. Is this the "
        "right file?",
        "zh": "{source}：列表或表格的嵌套层数过多，不像是 callroom.toml。请确认指定的是正确的文件。",
    },
    "cfg.toml": {
        "en": "{source}: not valid TOML{detail}",
        "zh": "{source}：不是有效的 TOML 格式{detail}。请检查引号、等号和方括号。",
    },
    "cfg.toml_at": {
        "en": "{source}: not valid TOML{detail} (at line {line}, column {column})",
        "zh": "{source}：第 {line} 行第 {column} 列附近不是有效的 TOML 写法{detail}。请检查引号、等号、"
        "方括号，以及同一个键是否写了两次。",
    },
    "cfg.unknown_section": {
        "en": "{source}: unknown section or key [{section}] (known: {known})",
        "zh": "{source}：没有 [{section}] 这一节或这个键（可用：{known}）",
    },
    "cfg.not_table": {
        "en": "{source}: {section} must be a table",
        "zh": "{source}：{section} 必须写成一节（表）",
    },
    "cfg.unknown_key": {
        "en": "{source}: unknown key {section} {key} (known: {known})",
        "zh": "{source}：{section} 中没有 {key} 这个键（可用：{known}）",
    },
    "cfg.headers": {
        "en": "{source}: [columns] {key}: expected a list of header names",
        "zh": "{source}：[columns] {key}：应为表头名称的列表",
    },
    "cfg.words": {
        "en": "{source}: [flags] {key}: expected a list of words",
        "zh": "{source}：[flags] {key}：应为词语的列表",
    },
    "cfg.odds_table": {
        "en": "{source}: [drill.odds] must be a table of outcome = share",
        "zh": "{source}：[drill.odds] 必须是“结果代码 = 比例”的表",
    },
    "cfg.odds_share": {
        "en": "{source}: [drill.odds] {code}: expected a share of 0 or more, got {got}",
        "zh": "{source}：[drill.odds] {code}：比例必须是 0 或更大的数，实际是 {got}",
    },
    "cfg.templates_table": {
        "en": "{source}: [export.templates] must be a table of templates",
        "zh": "{source}：[export.templates] 必须是导出模板的表",
    },
    "cfg.template_keys": {
        "en": "{where}: a template has exactly one key, columns",
        "zh": "{where}：一个模板只能有一个键 columns",
    },
    "cfg.template_columns": {
        "en": '{where} columns: expected a non-empty list of "field" names or [header, field] pairs',
        "zh": '{where} columns：应为非空列表，每项是 "字段" 或 [表头, 字段]',
    },
    "cfg.template_pair": {
        "en": '{where} columns #{n}: expected "field" or ["header", "field"], got {got}',
        "zh": '{where} columns 第 {n} 项：应为 "字段" 或 ["表头", "字段"]，实际是 {got}',
    },
    "cfg.template_field": {
        "en": "{where} columns #{n}: unknown field {field} (known: {known}, extra:HEADER, "
        "answer:ID)",
        "zh": "{where} columns 第 {n} 项：没有字段 {field}（可用：{known}，以及 extra:表头、answer:问题编号）",
    },
    "cfg.outcomes_list": {
        "en": "{source}: [[outcomes]] must be a non-empty list of tables",
        "zh": "{source}：[[outcomes]] 必须至少写一项，每项是一个表",
    },
    "cfg.outcome_table": {"en": "{where}: must be a table", "zh": "{where}：必须是一个表"},
    "cfg.outcome_unknown": {
        "en": "{where}: unknown key {key} (known: {known})",
        "zh": "{where}：没有 {key} 这个键（可用：{known}）",
    },
    "cfg.outcome_missing": {"en": "{where}: missing key {key}", "zh": "{where}：缺少 {key}"},
    "cfg.hotkey_twice": {
        "en": "{where} key: hotkey {key} is already used by outcome {code}",
        "zh": "{where} key：按键 {key} 已被结果 {code} 占用",
    },
    "cfg.code_twice": {
        "en": "{where} code: duplicate outcome code {code}",
        "zh": "{where} code：结果代码 {code} 重复",
    },
    "cfg.retry_minutes": {
        "en": "{where}: a retry outcome needs retry_minutes",
        "zh": "{where}：重拨类结果（kind = retry）需要填写 retry_minutes",
    },
    "cfg.not_found": {
        "en": "{path}: config file not found (given by {given})",
        "zh": "{path}：找不到配置文件（由 {given} 指定）",
    },
    "cfg.not_utf8": {
        "en": "{path}: not UTF-8 text; save the config as UTF-8",
        "zh": "{path}：不是 UTF-8 编码的文本；请把配置文件另存为 UTF-8 编码",
    },
    "cfg.unreadable": {
        "en": "{path}: cannot read config: {detail}",
        "zh": "{path}：无法读取配置文件：{detail}",
    },
    "cfg.no_read_permission": {"en": "Permission denied", "zh": "没有读取权限"},
    "cfg.is_folder": {"en": "Is a directory", "zh": "这是一个目录"},
    "cfg.hours": {
        "en": "{source}: [hours] start ({start}) must be before end ({end})",
        "zh": "{source}：[hours] 开始时间（{start}）必须早于结束时间（{end}）",
    },
    "cfg.no_template": {
        "en": "{source}: [export] default_template {name} is not a template (known: {known})",
        "zh": "{source}：[export] default_template 指定的 {name} 不是已有的模板（可用：{known}）",
    },
    "cfg.outcome_key_taken": {
        "en": "{source}: [[outcomes]] {code} key: {key} is the caller screen's {action} key; "
        "use a digit or one of {free}",
        "zh": "{source}：[[outcomes]] {code} 的 key：{key} 已是拨打界面的 {action} 键；"
        "请改用数字或以下字母之一：{free}",
    },
}
