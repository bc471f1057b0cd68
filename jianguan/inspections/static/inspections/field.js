/* 行政检查 on a phone, with or without a network.
 *
 * What the page needs (colleagues, checklists, tasks) is fetched from the API and kept in IndexedDB. A captured
 * inspection (with its photos as blobs and the signature) is queued in IndexedDB under a UUID made on the phone,
 * then sent when the network is there: the record as a draft, each photo, then the submission. Every step is
 * idempotent on the server, so a step sent twice (a lost answer, a retry) stores nothing twice. A conflict (the
 * server's copy changed since) is shown with both versions; nothing is overwritten without the officer's choice.
 */
(function () {
  "use strict";

  const root = document.getElementById("field");
  if (!root) return;
  const T = JSON.parse(document.getElementById("field-messages").textContent);
  const API = root.dataset.api;
  const $ = (id) => document.getElementById(id);

  // IndexedDB ---------------------------------------------------------------------------------------------------
  const DB_NAME = "jianguan-inspections";

  function openDb() {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = () => {
        const db = request.result;
        if (!db.objectStoreNames.contains("records")) db.createObjectStore("records", { keyPath: "client_id" });
        if (!db.objectStoreNames.contains("meta")) db.createObjectStore("meta");
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  const dbReady = openDb();

  function withStore(name, mode, action) {
    return dbReady.then((db) => new Promise((resolve, reject) => {
      const transaction = db.transaction(name, mode);
      const request = action(transaction.objectStore(name));
      transaction.oncomplete = () => resolve(request ? request.result : undefined);
      transaction.onerror = () => reject(transaction.error);
      transaction.onabort = () => reject(transaction.error);
    }));
  }

  const records = {
    all: () => withStore("records", "readonly", (s) => s.getAll()),
    get: (id) => withStore("records", "readonly", (s) => s.get(id)),
    put: (record) => withStore("records", "readwrite", (s) => s.put(record)),
    remove: (id) => withStore("records", "readwrite", (s) => s.delete(id)),
  };
  const meta = {
    get: (key) => withStore("meta", "readonly", (s) => s.get(key)),
    put: (key, value) => withStore("meta", "readwrite", (s) => s.put(value, key)),
  };

  // Small helpers -------------------------------------------------------------------------------------------
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([key, value]) => {
      if (value === null || value === undefined || value === false) return;
      if (key === "dataset") Object.assign(node.dataset, value);
      else if (key === "text") node.textContent = value;
      else node.setAttribute(key, value === true ? "" : value);
    });
    children.flat().forEach((child) => {
      if (child !== null && child !== undefined) node.append(child);
    });
    return node;
  }

  function uuid() {
    if (crypto.randomUUID) return crypto.randomUUID();
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  async function sha256(blob) {
    const digest = await crypto.subtle.digest("SHA-256", await blob.arrayBuffer());
    return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function csrfToken() {
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : root.dataset.csrf;
  }

  function itemsOf(implementation, kind) {
    if (!implementation) return [];
    return kind === "special" && implementation.special.length ? implementation.special : implementation.routine;
  }

  // State ---------------------------------------------------------------------------------------------------
  let data = null; // the field data: me, colleagues, implementations, tasks
  let current = null; // the inspection being captured

  async function loadData(attempt = 0) {
    try {
      const response = await fetch(`${API}/field-data`, { credentials: "same-origin",
        headers: { Accept: "application/json" } });
      if (!response.ok) throw new Error(String(response.status));
      data = await response.json();
      await meta.put("field-data", data);
    } catch (problem) {
      data = (await meta.get("field-data")) || null;
      // A phone's network comes and goes: while it claims to be online, ask again a few times, waiting longer.
      if (navigator.onLine && attempt < 5) setTimeout(() => loadData(attempt + 1), 1000 * (attempt + 1));
    }
    await renderHome();
  }

  function me() {
    return data ? data.me.username : "";
  }

  // Network and service worker ------------------------------------------------------------------------------
  function showNetwork() {
    const network = $("network");
    network.textContent = navigator.onLine ? T.online : T.offline;
    network.className = navigator.onLine ? "" : "offline";
  }

  function registerWorker() {
    const state = $("sw-state");
    if (!("serviceWorker" in navigator)) {
      state.textContent = T.sw_unavailable;
      return;
    }
    const ready = () => {
      state.textContent = T.sw_ready;
      state.dataset.ready = "1";
    };
    if (navigator.serviceWorker.controller) ready();
    navigator.serviceWorker.addEventListener("controllerchange", ready);
    navigator.serviceWorker.register(root.dataset.sw, { scope: root.dataset.scope }).catch(() => {
      state.textContent = T.sw_unavailable;
    });
  }

  // Home: tasks and the records on this phone ---------------------------------------------------------------
  async function renderHome() {
    const mine = (await records.all()).filter((r) => r.owner === me());
    const queued = new Set(mine.map((r) => r.client_id));
    const tasks = $("tasks");
    tasks.replaceChildren();
    (data ? data.tasks : []).filter((t) => !queued.has(t.client_id)).forEach((task) => {
      tasks.append(el("li", { dataset: { testid: "task", clientId: task.client_id } },
        el("span", { class: "title", text: task.party_name }),
        el("span", { class: "meta", text: `${task.item_name}${task.origin_ref ? ` · ${task.origin_ref}` : ""}` }),
        el("div", { class: "buttons" }, button(T.start, () => openForm({ task })))));
    });
    if (!tasks.children.length) tasks.append(el("li", { class: "muted", text: T.no_tasks }));

    const queue = $("queue");
    queue.replaceChildren();
    mine.sort((a, b) => (a.created_at < b.created_at ? 1 : -1)).forEach((record) => queue.append(queueItem(record)));
    if (!queue.children.length) queue.append(el("li", { class: "muted", text: T.no_records }));
  }

  function button(label, action, attrs) {
    const node = el("button", { type: "button", ...(attrs || {}) }, label);
    node.addEventListener("click", action);
    return node;
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
      item.append(el("a", { href: `${root.dataset.detail}${record.server_id}/` }, T.number));
    }
    if (record.state === "conflict" && record.conflict) item.append(conflictTable(record));
    const actions = el("div", { class: "buttons" });
    if (record.state === "error") {
      actions.append(button(T.edit, () => openForm({ record })), button(T.retry, () => requeue(record)));
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
    await renderHome();
  }

  async function requeue(record, baseVersion) {
    record.state = "queued";
    record.error = "";
    record.conflict = null;
    if (baseVersion !== undefined) {
      record.base_version = baseVersion;
      if (record.step === "done") record.step = "record";
    }
    await records.put(record);
    await renderHome();
    syncAll();
  }

  // The form ------------------------------------------------------------------------------------------------
  const form = $("capture");

  function show(view) {
    $("home").hidden = view !== "home";
    form.hidden = view !== "form";
    window.scrollTo(0, 0);
  }

  function openForm({ task, record }) {
    const source = record ? record.task : task;
    current = {
      client_id: record ? record.client_id : source ? source.client_id : uuid(),
      task: source || null,
      base_version: record ? record.base_version : source ? source.version : 0,
      server_id: record ? record.server_id : source ? source.id : null,
      started_at: record ? record.payload.started_at : new Date().toISOString(),
      photos: record ? record.photos.slice() : [],
      location: record ? record.payload.location : null,
      record: record || null,
    };
    const payload = record ? record.payload : {};
    $("form-error").textContent = "";
    $("new-fields").hidden = Boolean(source);
    const info = $("task-info");
    info.hidden = !source;
    info.replaceChildren();
    if (source) {
      info.append(el("dt", { text: T.item }), el("dd", { text: source.item_name }),
        el("dt", { text: T.party }), el("dd", { text: `${source.party_name} ${source.party_code}` }));
    } else {
      fillImplementations();
      $("origin_kind").value = payload.origin_kind || "routine";
      $("origin_ref").value = payload.origin_ref || "";
      if (payload.implementation_code) $("implementation").value = payload.implementation_code;
      $("party_uscc").value = payload.party ? payload.party.uscc : "";
      showOriginRef();
    }
    $("place").value = payload.place || (source ? source.place || source.party_address : "");
    fillOfficers(payload.officers || (source ? source.officers : [me()]));
    fillChecklist(payload.checklist || (source ? source.checklist : null));
    renderPhotos();
    $("refused").checked = Boolean(payload.signature_refused);
    $("refusal_note").value = payload.refusal_note || "";
    $("witness").value = payload.witness || "";
    $("outcome").value = payload.outcome || "";
    $("findings").value = payload.findings || "";
    $("rectify_due").value = payload.rectify_due || "";
    $("rectify_requirement").value = payload.rectify_requirement || "";
    $("transfer_to").value = payload.transfer_to || "";
    showOutcomeFields();
    showRefusal();
    show("form");
    signaturePad.reset(payload.signature_png || "");
    if (current.location) showLocation(current.location);
    else locate();
  }

  function fillImplementations() {
    const select = $("implementation");
    select.replaceChildren(el("option", { value: "" }, "—"));
    (data ? data.implementations : []).forEach((row) => select.append(el("option", { value: row.code }, row.name)));
  }

  function fillOfficers(chosen) {
    const box = $("officers");
    box.querySelectorAll("label").forEach((node) => node.remove());
    (data ? data.colleagues : []).forEach((colleague) => {
      const input = el("input", { type: "checkbox", value: colleague.username,
        checked: chosen.includes(colleague.username), disabled: !colleague.valid });
      box.append(el("label", { class: "check" }, input,
        ` ${colleague.name}${colleague.valid ? `（${colleague.credential}）` : `（${T.credential_invalid}）`}`));
    });
  }

  function checklistItems() {
    if (current.task) return current.task.checklist.map((row) => row.item);
    const row = (data ? data.implementations : []).find((r) => r.code === $("implementation").value);
    return itemsOf(row, $("origin_kind").value === "special" ? "special" : "routine");
  }

  function fillChecklist(answers) {
    const box = $("checklist");
    box.querySelectorAll(".check-item, .muted").forEach((node) => node.remove());
    const given = new Map((answers || []).map((a) => [a.item, a]));
    const items = checklistItems();
    items.forEach((item, index) => {
      const answer = given.get(item) || {};
      const name = `answer-${index}`;
      const choices = ["pass", "fail", "na"].map((value) => el("label", { class: "check" },
        el("input", { type: "radio", name, value, checked: answer.answer === value }), ` ${T["answer_" + value]}`));
      box.append(el("div", { class: "check-item", dataset: { item } },
        el("p", { class: "item", text: `${index + 1}. ${item}` }),
        el("div", { class: "answers" }, choices),
        el("input", { type: "text", class: "note", placeholder: T.note, "aria-label": `${item} ${T.note}`,
          value: answer.note || "" })));
    });
    if (!items.length) box.append(el("p", { class: "muted", text: T.no_checklist }));
  }

  function showOriginRef() {
    const needs = ["complaint", "risk_alert"].includes($("origin_kind").value);
    $("origin-ref-field").hidden = !needs;
  }

  function showOutcomeFields() {
    $("rectify-fields").hidden = $("outcome").value !== "rectify";
    $("transfer-fields").hidden = $("outcome").value !== "transfer";
  }

  function showRefusal() {
    $("refusal-fields").hidden = !$("refused").checked;
  }

  $("origin_kind").addEventListener("change", () => { showOriginRef(); fillChecklist(collectAnswers()); });
  $("implementation").addEventListener("change", () => fillChecklist([]));
  $("outcome").addEventListener("change", showOutcomeFields);
  $("refused").addEventListener("change", showRefusal);
  $("cancel").addEventListener("click", () => { current = null; show("home"); });
  $("new").addEventListener("click", () => openForm({}));

  // Photos --------------------------------------------------------------------------------------------------
  function renderPhotos() {
    const list = $("photo-list");
    list.querySelectorAll("img").forEach((img) => URL.revokeObjectURL(img.src));
    list.replaceChildren();
    current.photos.forEach((photo) => {
      const img = el("img", { alt: photo.name, src: URL.createObjectURL(photo.blob) });
      list.append(el("li", { dataset: { testid: "photo" } }, img));
    });
  }

  $("photos").addEventListener("change", async (event) => {
    const input = event.target;
    for (const file of Array.from(input.files || [])) {
      current.photos.push({ client_id: uuid(), name: file.name || "photo.jpg", type: file.type, size: file.size,
        blob: file, sha256: await sha256(file),
        taken_at: new Date(file.lastModified || Date.now()).toISOString(), uploaded: false });
    }
    input.value = "";
    renderPhotos();
  });

  // Location ------------------------------------------------------------------------------------------------
  function showLocation(location) {
    $("location").textContent = `${T.located} ${location.latitude}, ${location.longitude}` +
      (location.accuracy !== null ? ` · ${T.accuracy.replace("%(m)s", location.accuracy)}` : "");
  }

  function locate() {
    if (!("geolocation" in navigator)) {
      $("location").textContent = T.location_failed;
      return;
    }
    $("location").textContent = T.locating;
    const asked = current;
    navigator.geolocation.getCurrentPosition((position) => {
      if (asked !== current || !current) return;
      current.location = {
        latitude: Number(position.coords.latitude.toFixed(6)),
        longitude: Number(position.coords.longitude.toFixed(6)),
        accuracy: position.coords.accuracy === null ? null : Number(position.coords.accuracy.toFixed(1)),
      };
      showLocation(current.location);
    }, () => {
      if (asked === current) $("location").textContent = T.location_failed;
    }, { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 });
  }

  $("locate").addEventListener("click", locate);

  // Signature -----------------------------------------------------------------------------------------------
  const signaturePad = (function () {
    const canvas = $("signature");
    const context = canvas.getContext("2d");
    let drawing = false;
    let strokes = 0;
    let last = null;

    function point(event) {
      const box = canvas.getBoundingClientRect();
      return { x: (event.clientX - box.left) * (canvas.width / box.width),
        y: (event.clientY - box.top) * (canvas.height / box.height) };
    }

    function reset(dataUrl) {
      const box = canvas.getBoundingClientRect();
      canvas.width = Math.max(1, Math.round(box.width || 300));
      canvas.height = Math.max(1, Math.round(box.height || 160));
      context.fillStyle = "#fff";
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.lineWidth = 2.5;
      context.lineCap = "round";
      context.lineJoin = "round";
      context.strokeStyle = "#111";
      strokes = 0;
      if (dataUrl) {
        const image = new Image();
        image.onload = () => context.drawImage(image, 0, 0, canvas.width, canvas.height);
        image.src = dataUrl;
        strokes = 3; // a signature kept from before counts as signed
      }
    }

    canvas.addEventListener("pointerdown", (event) => {
      drawing = true;
      last = point(event);
      canvas.setPointerCapture(event.pointerId);
      event.preventDefault();
    });
    canvas.addEventListener("pointermove", (event) => {
      if (!drawing) return;
      const next = point(event);
      context.beginPath();
      context.moveTo(last.x, last.y);
      context.lineTo(next.x, next.y);
      context.stroke();
      last = next;
      strokes += 1;
      event.preventDefault();
    });
    const stop = () => { drawing = false; };
    canvas.addEventListener("pointerup", stop);
    canvas.addEventListener("pointercancel", stop);
    $("clear-signature").addEventListener("click", () => reset(""));

    return {
      reset,
      signed: () => strokes > 2,
      png: () => canvas.toDataURL("image/png"),
    };
  })();

  // Collect, check, queue -----------------------------------------------------------------------------------
  function collectAnswers() {
    return Array.from($("checklist").querySelectorAll(".check-item")).map((node) => {
      const chosen = node.querySelector("input[type=radio]:checked");
      return { item: node.dataset.item, answer: chosen ? chosen.value : "", note: node.querySelector(".note").value.trim() };
    });
  }

  function collect() {
    const officers = Array.from($("officers").querySelectorAll("input:checked")).map((input) => input.value);
    const refused = $("refused").checked;
    const payload = {
      place: $("place").value.trim(),
      officers,
      started_at: current.started_at,
      ended_at: new Date().toISOString(),
      location: current.location,
      checklist: collectAnswers(),
      signature_png: !refused && signaturePad.signed() ? signaturePad.png() : "",
      signature_refused: refused,
      refusal_note: refused ? $("refusal_note").value.trim() : "",
      witness: refused ? $("witness").value.trim() : "",
      outcome: $("outcome").value,
      findings: $("findings").value.trim(),
      rectify_due: $("outcome").value === "rectify" && $("rectify_due").value ? $("rectify_due").value : null,
      rectify_requirement: $("outcome").value === "rectify" ? $("rectify_requirement").value.trim() : "",
      transfer_to: $("outcome").value === "transfer" ? $("transfer_to").value.trim() : "",
    };
    if (!current.task) {
      payload.origin_kind = $("origin_kind").value;
      payload.origin_ref = $("origin_ref").value.trim();
      payload.implementation_code = $("implementation").value;
      payload.party = { kind: "entity", uscc: $("party_uscc").value.trim().toUpperCase() };
    }
    return payload;
  }

  function problems(payload) {
    const found = [];
    if (!current.task) {
      if (!payload.implementation_code) found.push(T.need_implementation);
      if (!payload.party.uscc) found.push(T.need_party);
      if (["complaint", "risk_alert"].includes(payload.origin_kind) && !payload.origin_ref) found.push(T.need_ref);
    }
    if (payload.officers.length < 2) found.push(T.need_officers);
    if (!payload.place) found.push(T.need_place);
    const missing = payload.checklist.filter((row) => !row.answer).map((row) => row.item);
    if (missing.length) found.push(T.need_answers + missing.join("、"));
    if (!payload.signature_png && !(payload.signature_refused && payload.witness)) found.push(T.need_signature);
    if (!payload.outcome) found.push(T.need_outcome);
    if (payload.outcome && payload.outcome !== "no_problem" && !payload.findings) found.push(T.need_findings);
    if (payload.outcome === "rectify" && !(payload.rectify_due && payload.rectify_requirement)) found.push(T.need_rectify);
    if (payload.outcome === "transfer" && !payload.transfer_to) found.push(T.need_transfer);
    return found;
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const payload = collect();
    const found = problems(payload);
    if (found.length) {
      $("form-error").textContent = found.join("；");
      return;
    }
    const implementation = (data ? data.implementations : []).find((r) => r.code === payload.implementation_code);
    const previous = current.record;
    const record = {
      client_id: current.client_id,
      owner: me(),
      label: current.task ? `${current.task.party_name} · ${current.task.item_name}`
        : `${payload.party.uscc} · ${implementation ? implementation.name : ""}`,
      created_at: previous ? previous.created_at : new Date().toISOString(),
      task: current.task,
      payload,
      photos: current.photos,
      base_version: current.base_version,
      server_id: current.server_id,
      step: "record",
      state: "queued",
      error: "",
      conflict: null,
      number: "",
    };
    await records.put(record);
    current = null;
    show("home");
    await renderHome();
    syncAll();
  });

  // Sync ----------------------------------------------------------------------------------------------------
  class RetryLater extends Error {}

  async function call(url, options) {
    let response;
    try {
      response = await fetch(url, { credentials: "same-origin", ...options,
        headers: { Accept: "application/json", "X-CSRFToken": csrfToken(), ...(options.headers || {}) } });
    } catch (problem) {
      throw new RetryLater(T.offline);
    }
    if (response.status >= 500) throw new RetryLater(T.offline);
    if (response.status === 401) throw new RetryLater(T.relogin);
    let body = {};
    try {
      body = await response.json();
    } catch (problem) {
      body = {};
    }
    return { ok: response.ok, status: response.status, body };
  }

  async function refused(record, answer) {
    if (answer.status === 409 && answer.body.code === "sync_conflict") {
      record.state = "conflict";
      record.conflict = answer.body.extra || null;
    } else {
      record.state = "error";
    }
    record.error = answer.body.message || String(answer.status);
    await records.put(record);
  }

  async function send(record, submit) {
    const body = { client_id: record.client_id, base_version: record.base_version, submit, ...record.payload };
    const answer = await call(`${API}/sync`, { method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body) });
    if (!answer.ok) {
      await refused(record, answer);
      return null;
    }
    record.server_id = answer.body.id;
    record.base_version = answer.body.version;
    record.number = answer.body.number || "";
    await records.put(record);
    return answer.body;
  }

  async function syncOne(record) {
    record.state = "syncing";
    record.error = "";
    await records.put(record);
    await renderHome();
    if (record.step === "record") {
      if (!(await send(record, false))) return;
      record.step = "photos";
      await records.put(record);
    }
    if (record.step === "photos") {
      for (const photo of record.photos) {
        if (photo.uploaded) continue;
        const upload = new FormData();
        upload.append("client_id", photo.client_id);
        upload.append("sha256", photo.sha256);
        if (photo.taken_at) upload.append("taken_at", photo.taken_at);
        upload.append("file", photo.blob, photo.name);
        const answer = await call(`${API}/${record.server_id}/evidence`, { method: "POST", body: upload });
        if (!answer.ok) {
          await refused(record, answer);
          return;
        }
        photo.uploaded = true;
        await records.put(record);
      }
      record.step = "submit";
      await records.put(record);
    }
    if (record.step === "submit") {
      const stored = await send(record, true);
      if (!stored) return;
      record.step = "done";
      record.state = "synced";
      await records.put(record);
    }
  }

  let syncing = false;
  let again = false;
  let retryTimer = null;
  let retryDelay = 5000;

  async function syncAll() {
    if (syncing) {
      again = true;
      return;
    }
    if (!navigator.onLine) return; // the online event starts it again
    syncing = true;
    let waiting = false;
    try {
      const pending = (await records.all()).filter((r) => r.owner === me() && ["queued", "syncing"].includes(r.state));
      for (const record of pending) {
        try {
          await syncOne(record);
        } catch (problem) {
          if (!(problem instanceof RetryLater)) throw problem;
          record.state = "queued";
          record.error = problem.message;
          await records.put(record);
          waiting = true;
          break;
        }
      }
    } finally {
      syncing = false;
    }
    clearTimeout(retryTimer);
    if (waiting) {
      retryTimer = setTimeout(syncAll, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 60000);
    } else {
      retryDelay = 5000;
    }
    await renderHome();
    if (again) {
      again = false;
      syncAll();
    }
  }

  window.addEventListener("online", () => {
    showNetwork();
    retryDelay = 5000;
    syncAll();
  });
  window.addEventListener("offline", showNetwork);

  // Start ---------------------------------------------------------------------------------------------------
  showNetwork();
  registerWorker();
  loadData().then(() => syncAll());
})();
