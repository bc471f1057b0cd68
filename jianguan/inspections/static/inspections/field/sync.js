/* Sending the queue when the network is there: each record as a draft, each of its photos, then the submission.
 *
 * Every step is idempotent on the server (the record by its client_id, a photo by its own), so a step sent twice
 * (a lost answer, a retry) stores nothing twice; the record remembers the step it reached. No network, a server
 * error or an expired sign-in leave the record queued and try again later, waiting longer each time (5 s doubled
 * up to a minute); a refusal marks it failed, a conflict (409 sync_conflict) keeps the server's copy beside it. */

class RetryLater extends Error {}

function csrfToken(fallback) {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : fallback;
}

/* The queue of one page: `owner()` names the signed-in officer, `changed()` shows the records again. */
export function syncQueue({ api, records, messages: T, owner, csrf, changed }) {
  async function call(url, options) {
    let response;
    try {
      response = await fetch(url, { credentials: "same-origin", ...options,
        headers: { Accept: "application/json", "X-CSRFToken": csrfToken(csrf), ...(options.headers || {}) } });
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
    const answer = await call(`${api}/sync`, { method: "POST", headers: { "Content-Type": "application/json" },
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

  async function sendPhotos(record) {
    for (const photo of record.photos) {
      if (photo.uploaded) continue;
      const upload = new FormData();
      upload.append("client_id", photo.client_id);
      upload.append("sha256", photo.sha256);
      if (photo.taken_at) upload.append("taken_at", photo.taken_at);
      upload.append("file", photo.blob, photo.name);
      const answer = await call(`${api}/${record.server_id}/evidence`, { method: "POST", body: upload });
      if (!answer.ok) {
        await refused(record, answer);
        return false;
      }
      photo.uploaded = true;
      await records.put(record);
    }
    return true;
  }

  async function syncOne(record) {
    record.state = "syncing";
    record.error = "";
    await records.put(record);
    await changed();
    if (record.step === "record") {
      if (!(await send(record, false))) return;
      record.step = "photos";
      await records.put(record);
    }
    if (record.step === "photos") {
      if (!(await sendPhotos(record))) return;
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
      const pending = (await records.all())
        .filter((r) => r.owner === owner() && ["queued", "syncing"].includes(r.state));
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
    await changed();
    if (again) {
      again = false;
      syncAll();
    }
  }

  /* The network is back: send at once, the waiting starts again from 5 s. */
  function online() {
    retryDelay = 5000;
    syncAll();
  }

  /* Queue a failed or conflicting record again; from the server's version `baseVersion` when the officer keeps
   * the phone's copy over the server's draft. */
  async function requeue(record, baseVersion) {
    record.state = "queued";
    record.error = "";
    record.conflict = null;
    if (baseVersion !== undefined) {
      record.base_version = baseVersion;
      if (record.step === "done") record.step = "record";
    }
    await records.put(record);
    await changed();
    syncAll();
  }

  return { syncAll, online, requeue };
}
