/* The home view: 我的任务 (tasks not yet taken up on this phone) and the records on this phone with their state,
 * their error, or a conflict shown as the server's version beside the phone's. */

import { $, button, el } from "./dom.js";

/* `field` holds the field data; `open` starts the form, `requeue` sends a record again. */
export function homeView({ messages: T, field, records, detail, open, requeue }) {
  async function render() {
    const mine = (await records.all()).filter((r) => r.owner === field.me());
    const queued = new Set(mine.map((r) => r.client_id));
    const tasks = $("tasks");
    tasks.replaceChildren();
    (field.data ? field.data.tasks : []).filter((t) => !queued.has(t.client_id)).forEach((task) => {
      tasks.append(el("li", { dataset: { testid: "task", clientId: task.client_id } },
        el("span", { class: "title", text: task.party_name }),
        el("span", { class: "meta", text: `${task.item_name}${task.origin_ref ? ` · ${task.origin_ref}` : ""}` }),
        el("div", { class: "buttons" }, button(T.start, () => open({ task })))));
    });
    if (!tasks.children.length) tasks.append(el("li", { class: "muted", text: T.no_tasks }));

    const queue = $("queue");
    queue.replaceChildren();
    mine.sort((a, b) => (a.created_at < b.created_at ? 1 : -1)).forEach((record) => queue.append(queueItem(record)));
    if (!queue.children.length) queue.append(el("li", { class: "muted", text: T.no_records }));
  }

  function queueItem(record) {
    const item = el("li", { dataset: { testid: "queued-item", clientId: record.client_id, state: record.state } },
      el("span", { class: "title", text: record.label }),
      el("span", { class: "meta" },
        el("span", { class: `state ${record.state}`, dataset: { testid: "sync-state" }, text: T[record.state] }),
        record.number ? ` ${T.number}：${record.number}` : "",
        record.photos.length ? ` · ${record.photos.length} ${T.photos}` : ""));
    if (record.error) item.append(el("span", { class: "meta error", dataset: { testid: "sync-error" }, text: record.error }));
    if (record.state === "synced" && record.server_id) {
      item.append(el("a", { href: `${detail}${record.server_id}/` }, T.number));
    }
    if (record.state === "conflict" && record.conflict) item.append(conflictTable(record));
    const actions = el("div", { class: "buttons" });
    if (record.state === "error") {
      actions.append(button(T.edit, () => open({ record })), button(T.retry, () => requeue(record)));
    }
    if (record.state === "conflict") {
      actions.append(button(T.keep_server, () => forget(record)));
      if (record.conflict && record.conflict.server && record.conflict.server.status === "draft") {
        actions.append(button(T.keep_local, () => requeue(record, record.conflict.server.version)));
      }
    }
    if (record.state === "error" || record.state === "synced") actions.append(button(T.delete, () => forget(record)));
    if (actions.children.length) item.append(actions);
    return item;
  }

  function conflictTable(record) {
    const server = record.conflict.server || {};
    const local = record.payload;
    const officers = (list) => (list || []).join("、");
    const answers = (rows) => (rows || []).map((r) => `${r.item}:${T["answer_" + r.answer] || "—"}`).join("；");
    const rows = [
      [T.version, String(server.version), String(record.base_version)],
      [T.status, T["status_" + server.status] || server.status, T.status_submitted],
      [T.place, server.place, local.place],
      [T.officers, officers(server.officers), officers(local.officers)],
      [T.checklist, answers(server.checklist), answers(local.checklist)],
      [T.outcome, T["outcome_" + server.outcome] || "—", T["outcome_" + local.outcome] || "—"],
      [T.findings, server.findings, local.findings],
      [T.updated, server.updated_at, record.created_at],
    ];
    return el("table", { class: "conflict-table", dataset: { testid: "conflict" } },
      el("thead", {}, el("tr", {}, el("th", {}), el("th", { text: T.server_version }), el("th", { text: T.local_version }))),
      el("tbody", {}, rows.map(([label, a, b]) => el("tr", { class: a === b ? "" : "differs" },
        el("th", { text: label }), el("td", { text: a || "—" }), el("td", { text: b || "—" })))));
  }

  async function forget(record) {
    await records.remove(record.client_id);
    await render();
  }

  return { render };
}
