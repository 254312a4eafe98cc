"""``mzpress releases --to DIR``: the kept releases with their commit and build time; * marks the current one."""

from __future__ import annotations

from mzpress.cli.deploy_target import add_target, beijing, run_safely, session


def register(subparsers) -> None:
    parser = subparsers.add_parser("releases", help="列出发布目录中保留的版本",
                                   description="列出保留的版本：版本号、源提交、构建时间（北京时间）和文件数，*为当前版本。")
    add_target(parser)
    parser.set_defaults(func=run)


def run(args) -> int:
    def work() -> int:
        with session(args, exclusive=False) as store:
            return _list(store)

    return run_safely(work)


def _list(store) -> int:
    infos = store.releases()
    if not infos:
        print(f"{store.root} 中还没有发布过的版本。")
        return 0
    for info in reversed(infos):
        mark = "*" if info.current else " "
        if info.manifest is None:
            print(f"{mark} {info.id}  （无法读取完整性清单：{info.problem}）")
        else:
            m = info.manifest
            print(f"{mark} {info.id}  源提交 {m.short_commit}  构建于 {beijing(m.built_at)}  {len(m.files)}个文件")
    current = [i.id for i in infos if i.current]
    print(f"共{len(infos)}个版本，当前版本：{current[0] if current else '无'}。")
    return 0
