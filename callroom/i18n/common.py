"""Strings shared by every part of callroom: task states, flags."""

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
}
