/* The capture form: an inspection being captured (`current`), filled from a task, a record sent back for editing,
 * or from nothing; its checklist, officers, photos, location and signature; checked before it is queued, each
 * missing thing named (the same rules the server applies: two officers, every checklist item answered, the
 * party's signature or a refusal with a witness, the outcome's own fields). */

import { $, el } from "./dom.js";

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

function itemsOf(implementation, kind) {
  if (!implementation) return [];
  return kind === "special" && implementation.special.length ? implementation.special : implementation.routine;
}

/* `field` holds the field data, `pad` the signature pad; `saved()` runs once a record is queued. */
export function captureForm({ messages: T, field, records, pad, saved }) {
  const form = $("capture");
  let current = null; // the inspection being captured
  const known = (name) => (field.data ? field.data[name] : []); // implementations, colleagues

  function show(view) {
    $("home").hidden = view !== "home";
    form.hidden = view !== "form";
    window.scrollTo(0, 0);
  }

  function open({ task, record }) {
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
    fillOfficers(payload.officers || (source ? source.officers : [field.me()]));
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
    pad.reset(payload.signature_png || "");
    if (current.location) showLocation(current.location);
    else locate();
  }

  function fillImplementations() {
    const select = $("implementation");
    select.replaceChildren(el("option", { value: "" }, "—"));
    known("implementations").forEach((row) => select.append(el("option", { value: row.code }, row.name)));
  }

  function fillOfficers(chosen) {
    const box = $("officers");
    box.querySelectorAll("label").forEach((node) => node.remove());
    known("colleagues").forEach((colleague) => {
      const input = el("input", { type: "checkbox", value: colleague.username,
        checked: chosen.includes(colleague.username), disabled: !colleague.valid });
      box.append(el("label", { class: "check" }, input,
        ` ${colleague.name}${colleague.valid ? `（${colleague.credential}）` : `（${T.credential_invalid}）`}`));
    });
  }

  function checklistItems() {
    if (current.task) return current.task.checklist.map((row) => row.item);
    const row = known("implementations").find((r) => r.code === $("implementation").value);
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
  $("new").addEventListener("click", () => open({}));

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
      signature_png: !refused && pad.signed() ? pad.png() : "",
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
    const implementation = known("implementations").find((r) => r.code === payload.implementation_code);
    const previous = current.record;
    const record = {
      client_id: current.client_id,
      owner: field.me(),
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
    await saved();
  });

  return { open };
}
