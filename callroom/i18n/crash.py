"""What a caller reads when callroom stops on an unexpected error."""

STRINGS: dict[str, dict[str, str]] = {
    "crash.title": {
        "en": "callroom stopped on an unexpected error (reference {ref}).",
        "zh": "callroom 遇到意外错误，已退出（错误编号 {ref}）。",
    },
    "crash.saved": {
        "en": "Every outcome recorded before it is saved; start callroom again and your card "
        "comes back to you.",
        "zh": "出错前记录的结果都已保存；重新打开 callroom，你手上的卡片会回到你这里。",
    },
    "crash.log": {
        "en": "Details, without residents' data: {path}. Tell your lead the reference {ref}.",
        "zh": "错误详情（不含居民信息）已写入 {path}。请把错误编号 {ref} 告诉组长。",
    },
    "crash.no_log": {
        "en": "The details could not be written to a log. Tell your lead the reference {ref}.",
        "zh": "错误详情未能写入日志。请把错误编号 {ref} 告诉组长。",
    },
}
