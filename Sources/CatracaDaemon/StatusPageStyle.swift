extension StatusPageAssets {
    /// The page's style: one column on a phone, cards side by side on a wider screen; system fonts only.
    static let style = #"""
    :root { --fg: #1d2329; --muted: #66707a; --bg: #f3f5f7; --card: #fff; --ok: #1a7f37; --bad: #c62828;
            --warn: #a15c00; --line: #dde2e7; --accent: #1f5fa8; }
    * { box-sizing: border-box; }
    body { margin: 0; font: 15px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg);
           background: var(--bg); }
    header { display: flex; align-items: center; gap: .6rem; padding: .6rem 1rem; background: #23303d; color: #fff;
             position: sticky; top: 0; z-index: 1; }
    header h1 { font-size: 1.15rem; margin: 0; flex: 1; }
    header a { color: #fff; text-decoration: none; }
    main { padding: .8rem; max-width: 1200px; margin: 0 auto; }
    #overview { display: grid; gap: .8rem; grid-template-columns: 1fr; }
    @media (min-width: 800px) { #overview { grid-template-columns: 1fr 1fr; } #terminals-card { grid-column: 1 / -1; } }
    .card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: .7rem .9rem;
            overflow-x: auto; }
    .card h2, #detail h2 { font-size: 1rem; margin: 0 0 .5rem; }
    table { border-collapse: collapse; width: 100%; font-size: .92rem; }
    th, td { text-align: left; padding: .3rem .4rem; border-bottom: 1px solid var(--line); white-space: nowrap; }
    th { color: var(--muted); font-weight: 600; }
    .badge { font-size: .8rem; padding: .1rem .5rem; border-radius: 999px; background: #555; color: #fff; }
    .badge.on, .online { background: var(--ok); color: #fff; }
    .badge.off, .offline { background: #7b848c; color: #fff; }
    .state { display: inline-block; padding: 0 .45rem; border-radius: 999px; font-size: .8rem; }
    .warn { color: var(--warn); } .bad { color: var(--bad); } .muted { color: var(--muted); }
    .passages { list-style: none; margin: 0; padding: 0; }
    .passage { display: flex; flex-wrap: wrap; gap: .2rem .6rem; padding: .35rem 0; border-bottom: 1px solid var(--line); }
    .passage .outcome { font-weight: 600; }
    .passage.fresh { animation: flash 2s ease-out; }
    @keyframes flash { from { background: #fff3c4; } to { background: transparent; } }
    .outcome-unauthorised_rotation .outcome { color: var(--bad); }
    .outcome-not_turned .outcome { color: var(--warn); }
    dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem .8rem; margin: 0; }
    dt { color: var(--muted); } dd { margin: 0; word-break: break-word; }
    button { font: inherit; padding: .45rem .9rem; border-radius: 6px; border: 1px solid var(--line);
             background: #fff; cursor: pointer; }
    button.action { background: var(--accent); color: #fff; border-color: var(--accent); }
    button.danger { background: var(--bad); color: #fff; border-color: var(--bad); }
    .actions { display: flex; flex-wrap: wrap; gap: .5rem; margin: .6rem 0; }
    #detail .card { margin-bottom: .8rem; }
    .login { max-width: 22rem; margin: 12vh auto; background: var(--card); padding: 1.2rem; border-radius: 8px;
             border: 1px solid var(--line); }
    .login form { display: grid; gap: .5rem; }
    .login input { font: inherit; padding: .5rem; border: 1px solid var(--line); border-radius: 6px; }
    .error { color: var(--bad); }
    .hint { color: var(--muted); font-size: .85rem; }
    """#
}
