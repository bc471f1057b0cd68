/* 行政检查 on a phone, with or without a network: the field page's entry module.
 *
 * What the page needs (colleagues, checklists, tasks) is fetched from the API and kept in IndexedDB (store.js). A
 * captured inspection (form.js, with its photos as blobs and the signature, signature.js) is queued in IndexedDB
 * under a UUID made on the phone, then sent when the network is there (sync.js): the record as a draft, each
 * photo, then the submission. Every step is idempotent on the server, so a step sent twice (a lost answer, a
 * retry) stores nothing twice. A conflict (the server's copy changed since) is shown with both versions (home.js);
 * nothing is overwritten without the officer's choice. The service worker (inspections/sw.js) keeps every module
 * of this folder, so that the page opens without a network.
 */

import { $ } from "./dom.js";
import { captureForm } from "./form.js";
import { homeView } from "./home.js";
import { signaturePad } from "./signature.js";
import { openStore } from "./store.js";
import { syncQueue } from "./sync.js";

function showNetwork(T) {
  const network = $("network");
  network.textContent = navigator.onLine ? T.online : T.offline;
  network.className = navigator.onLine ? "" : "offline";
}

function registerWorker(T, root) {
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

function start(root) {
  const T = JSON.parse($("field-messages").textContent);
  const api = root.dataset.api;
  const { records, meta } = openStore();
  // The field data: me, colleagues, implementations, tasks.
  const field = { data: null, me: () => (field.data ? field.data.me.username : "") };

  const sync = syncQueue({ api, records, messages: T, owner: field.me, csrf: root.dataset.csrf,
    changed: () => home.render() });
  const form = captureForm({ messages: T, field, records, pad: signaturePad($("signature"), $("clear-signature")),
    saved: async () => {
      await home.render();
      sync.syncAll();
    } });
  const home = homeView({ messages: T, field, records, detail: root.dataset.detail, open: form.open,
    requeue: sync.requeue });

  async function loadData(attempt = 0) {
    try {
      const response = await fetch(`${api}/field-data`, { credentials: "same-origin",
        headers: { Accept: "application/json" } });
      if (!response.ok) throw new Error(String(response.status));
      field.data = await response.json();
      await meta.put("field-data", field.data);
    } catch (problem) {
      field.data = (await meta.get("field-data")) || null;
      // A phone's network comes and goes: while it claims to be online, ask again a few times, waiting longer.
      if (navigator.onLine && attempt < 5) setTimeout(() => loadData(attempt + 1), 1000 * (attempt + 1));
    }
    await home.render();
  }

  window.addEventListener("online", () => {
    showNetwork(T);
    sync.online();
  });
  window.addEventListener("offline", () => showNetwork(T));

  showNetwork(T);
  registerWorker(T, root);
  loadData().then(() => sync.syncAll());
}

const root = $("field");
if (root) start(root);
