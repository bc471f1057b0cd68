/* The phone's own storage (IndexedDB): the captured records under their client_id, waiting to be sent or kept
 * after it, and "meta" (the field data last fetched, for opening the page without a network). */

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

/* Open the database; each call of the answer's functions is one transaction. */
export function openStore() {
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

  return {
    records: {
      all: () => withStore("records", "readonly", (s) => s.getAll()),
      get: (id) => withStore("records", "readonly", (s) => s.get(id)),
      put: (record) => withStore("records", "readwrite", (s) => s.put(record)),
      remove: (id) => withStore("records", "readwrite", (s) => s.delete(id)),
    },
    meta: {
      get: (key) => withStore("meta", "readonly", (s) => s.get(key)),
      put: (key, value) => withStore("meta", "readwrite", (s) => s.put(value, key)),
    },
  };
}
