/**
 * The stylesheet of every Gatehouse page, served at /assets/gatehouse.css.
 * Kept in a module so the build carries it without an asset step.
 */
export const GATEHOUSE_CSS = `/* Gatehouse pages: system fonts, no external requests, WCAG AA contrast, phone-width friendly. */
:root {
  --bg: #f4f5f7;
  --card: #ffffff;
  --ink: #1c1f24;
  --muted: #4f5663;
  --line: #d5d9e0;
  --accent: #1f4fd1;
  --accent-ink: #ffffff;
  --danger: #a4161a;
  --ok: #146c2e;
  --focus: #f59e0b;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--ink);
  background: var(--bg);
}
* { box-sizing: border-box; }
body { margin: 0; min-height: 100vh; display: flex; flex-direction: column; align-items: center; line-height: 1.5; }
.skip { position: absolute; left: -999px; top: 0; background: var(--card); padding: .5rem 1rem; }
.skip:focus { left: 1rem; }
.top { width: 100%; max-width: 34rem; display: flex; justify-content: space-between; align-items: baseline; padding: 1.5rem 1rem .5rem; }
.brand { font-weight: 700; font-size: 1.25rem; letter-spacing: -.01em; }
.by { color: var(--muted); font-size: .85rem; }
.card { width: calc(100% - 2rem); max-width: 32rem; background: var(--card); border: 1px solid var(--line); border-radius: 12px; padding: 1.75rem; margin: .5rem 1rem 2rem; box-shadow: 0 1px 2px rgba(16,24,40,.06); }
.card:focus { outline: none; }
h1 { font-size: 1.4rem; line-height: 1.3; margin: 0 0 .5rem; }
p { margin: .5rem 0; }
.lead { color: var(--muted); margin-bottom: 1.25rem; }
label { display: block; font-weight: 600; margin: 1rem 0 .35rem; }
input[type=email], input[type=password], input[type=text], select {
  width: 100%; font: inherit; padding: .65rem .75rem; border: 1px solid #8a919e; border-radius: 8px; background: #fff; color: var(--ink);
}
fieldset { border: 1px solid var(--line); border-radius: 8px; margin: 1rem 0; padding: .5rem 1rem 1rem; }
legend { font-weight: 600; padding: 0 .25rem; }
.choice { display: flex; gap: .6rem; align-items: flex-start; margin-top: .6rem; }
.choice input { margin-top: .3rem; }
.choice label { margin: 0; font-weight: 400; }
.actions { display: flex; gap: .75rem; flex-wrap: wrap; margin-top: 1.5rem; }
button, .button {
  font: inherit; font-weight: 600; border-radius: 8px; padding: .65rem 1.2rem; border: 1px solid var(--accent); cursor: pointer; text-decoration: none; display: inline-block;
}
button.primary { background: var(--accent); color: var(--accent-ink); }
button.secondary { background: #fff; color: var(--accent); }
button.danger { background: #fff; color: var(--danger); border-color: var(--danger); }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.scopes { list-style: none; padding: 0; margin: .75rem 0; }
.scopes li { padding: .55rem .75rem; border: 1px solid var(--line); border-radius: 8px; margin-bottom: .5rem; }
.scopes code, .meta code { font-size: .85em; color: var(--muted); }
.meta { font-size: .9rem; color: var(--muted); border-top: 1px solid var(--line); margin-top: 1.25rem; padding-top: .75rem; }
.alert { border-radius: 8px; padding: .75rem 1rem; margin: 1rem 0; border: 1px solid; }
.alert.error { color: var(--danger); border-color: var(--danger); background: #fdf2f2; }
.alert.info { color: var(--ink); border-color: var(--line); background: #f8f9fb; }
.divider { display: flex; align-items: center; gap: .75rem; color: var(--muted); margin: 1.25rem 0; font-size: .9rem; }
.divider::before, .divider::after { content: ""; flex: 1; border-top: 1px solid var(--line); }
@media (max-width: 420px) { .card { padding: 1.25rem; } .actions { flex-direction: column; } .actions button { width: 100%; } }
`;
