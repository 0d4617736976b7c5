// The officer's self-assessment form, enhanced (the page works without it: "Lưu nháp" posts everything).
// - Each criterion's result and note are saved on their own as they are typed (debounced autosave),
//   with a visible state per criterion; a stale save (409) shows the saved value beside the typed one.
// - Unsaved edits are kept in localStorage (key: assessment id + version) until the server has them,
//   so a lost connection or a reload loses nothing; they are re-sent when the connection returns.
// - Evidence files upload one by one with a progress bar, a retry and a per-file error; deleting a
//   file is an async request that leaves every field as typed.
(function () {
  "use strict";
  // After a failed save or submit, the summary at the top is where the officer starts.
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.scrollIntoView({ block: "start" });
    summary.focus({ preventScroll: true });
  }
  var form = document.getElementById("assessment-form");
  var configEl = document.getElementById("autosave-config");
  if (!form || !configEl) { return; }
  var config = JSON.parse(configEl.textContent);
  var T = config.text;
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var versionInput = form.querySelector("input[name=version]");
  var counter = document.getElementById("answered-count");
  var banner = document.querySelector("[data-offline-banner]");
  var STORE_PREFIX = "criteria-portal:unsaved:" + config.assessment + ":";
  var DEBOUNCE_MS = 700;

  var version = config.version;
  var staleCopy = false;
  var base = {};       // criterion id → last value known to be on the server
  var pending = {};    // criterion id → value typed and not yet saved
  var conflicts = {};  // criterion id → server value that differs from the typed one (waits for a choice)
  var failed = {};     // criterion id → the server refused the value (not retried on its own)
  var timers = {};
  var busy = false;
  var leaving = false;
  var retryTimer = null;
  var retryDelay = 2000;
  var cards = {};

  function fill(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_, key) { return values[key] === undefined ? "" : values[key]; });
  }

  form.querySelectorAll("[data-criterion-id]").forEach(function (card) {
    cards[card.dataset.criterionId] = card;
  });
  config.results.forEach(function (r) {
    base[r.criterion] = { self_result: r.self_result, note: r.note };
  });

  function valuesOf(cid) {
    var card = cards[cid];
    var checked = card.querySelector("input[type=radio]:checked");
    return { self_result: checked ? checked.value : "not_yet", note: card.querySelector("textarea").value };
  }
  function clean(note) { return (note || "").replace(/\r\n/g, "\n").trim(); }
  function same(a, b) {
    return !!a && !!b && a.self_result === b.self_result && clean(a.note) === clean(b.note);
  }
  function setFields(cid, value) {
    var card = cards[cid];
    card.querySelectorAll("input[type=radio]").forEach(function (radio) {
      radio.checked = radio.value === value.self_result;
    });
    card.querySelector("textarea").value = value.note;
  }

  // ---------------------------------------------------------------- the per-criterion state
  function setState(cid, kind, detail) {
    var el = cards[cid].querySelector("[data-save-state]");
    el.dataset.state = kind;
    el.className = "save-state small save-state-" + kind;
    el.textContent = "";
    if (kind === "saved") {
      el.textContent = detail ? fill(T.saved, { time: detail }) : "";
    } else if (kind === "unsaved") {
      el.textContent = T.unsaved;
    } else if (kind === "saving") {
      el.textContent = T.saving;
    } else if (kind === "error") {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-link btn-sm p-0 text-danger save-retry";
      button.textContent = T.error;
      if (detail) { button.title = detail; }
      button.addEventListener("click", function () {
        delete failed[cid];
        setState(cid, "unsaved");
        flush();
      });
      el.appendChild(button);
      if (detail) {
        var why = document.createElement("span");
        why.className = "d-block text-danger";
        why.textContent = detail;
        el.appendChild(why);
      }
    }
  }

  var restoredText = "";  // "N edits restored from this device", shown until they are all saved
  function showBanner(text) {
    if (!banner) { return; }
    if (!Object.keys(pending).length) { restoredText = ""; }
    var shown = [restoredText, text].filter(Boolean).join(" ");
    banner.textContent = shown;
    banner.hidden = !shown;
  }

  function updateCounter(answered, total) {
    if (counter) { counter.textContent = counter.textContent.replace(/\d+\/\d+/, answered + "/" + total); }
  }

  // ---------------------------------------------------------------- localStorage
  function storedKeys() {
    var keys = [];
    try {
      for (var i = 0; i < window.localStorage.length; i++) {
        var key = window.localStorage.key(i);
        if (key && key.indexOf(STORE_PREFIX) === 0) { keys.push(key); }
      }
    } catch (e) { /* storage unavailable: autosave still works online */ }
    return keys;
  }
  function persist() {
    try {
      storedKeys().forEach(function (key) { window.localStorage.removeItem(key); });
      var ids = Object.keys(pending);
      if (!ids.length) { return; }
      var bases = {};
      ids.forEach(function (cid) { bases[cid] = base[cid]; });
      window.localStorage.setItem(STORE_PREFIX + "v" + version,
        JSON.stringify({ version: version, base: bases, edits: pending, at: Date.now() }));
    } catch (e) { /* quota or private mode: nothing more we can do here */ }
  }
  function loadStored() {
    var keys = storedKeys();
    if (!keys.length) { return null; }
    try { return JSON.parse(window.localStorage.getItem(keys[keys.length - 1])); } catch (e) { return null; }
  }

  // ---------------------------------------------------------------- conflicts
  function labelOf(value) {
    return (config.result_labels[value.self_result] || value.self_result) + " – " + ((value.note || "").trim() || T.no_note);
  }
  function showConflict(cid) {
    var panel = cards[cid].querySelector("[data-conflict]");
    var server = conflicts[cid];
    var mine = pending[cid] || valuesOf(cid);
    panel.textContent = "";
    var intro = document.createElement("p");
    intro.className = "mb-1";
    intro.textContent = T.conflict;
    panel.appendChild(intro);
    [[T.server, server, "conflict-server"], [T.yours, mine, "conflict-yours"]].forEach(function (row) {
      var p = document.createElement("p");
      p.className = "mb-1 text-break";
      p.dataset.testid = row[2];
      var strong = document.createElement("strong");
      strong.textContent = row[0] + ": ";
      p.appendChild(strong);
      p.appendChild(document.createTextNode(labelOf(row[1])));
      panel.appendChild(p);
    });
    var keep = document.createElement("button");
    keep.type = "button";
    keep.className = "btn btn-sm btn-primary me-2";
    keep.textContent = T.keep_mine;
    keep.addEventListener("click", function () {
      delete conflicts[cid];
      panel.hidden = true;
      pending[cid] = valuesOf(cid);
      setState(cid, "unsaved");
      persist();
      flush();
    });
    var useServer = document.createElement("button");
    useServer.type = "button";
    useServer.className = "btn btn-sm btn-outline-secondary";
    useServer.textContent = T.use_server;
    useServer.addEventListener("click", function () {
      setFields(cid, conflicts[cid]);
      delete conflicts[cid];
      delete pending[cid];
      panel.hidden = true;
      setState(cid, "saved");
      persist();
    });
    panel.appendChild(keep);
    panel.appendChild(useServer);
    panel.hidden = false;
    setState(cid, "unsaved");
  }

  // The server moved on (someone else saved): take its values where nobody typed, keep ours where
  // the server still has what we started from, and ask where both changed.
  function reconcile(serverVersion, results) {
    results.forEach(function (r) {
      var cid = String(r.criterion);
      if (!cards[cid]) { return; }
      var server = { self_result: r.self_result, note: r.note };
      var mine = pending[cid];
      if (!mine) {
        if (!same(server, base[cid]) && !conflicts[cid]) { setFields(cid, server); }
      } else if (same(server, mine)) {
        delete pending[cid];
        setState(cid, "saved");
      } else if (!same(server, base[cid])) {
        conflicts[cid] = server;
        showConflict(cid);
      }
      base[cid] = server;
    });
    version = serverVersion;
    versionInput.value = serverVersion;
    persist();
  }

  // ---------------------------------------------------------------- the jump list and its filters
  var jumpFilter = "all";
  function jumpItem(cid) { return document.querySelector("[data-jump='" + cid + "']"); }
  function updateJump(cid, selfResult) {
    var item = jumpItem(cid);
    if (!item) { return; }
    var card = cards[cid];
    if (selfResult) {
      item.classList.remove("jump-" + item.dataset.state);
      item.dataset.state = selfResult;
      item.classList.add("jump-" + selfResult);
    }
    var files = card.querySelector("[data-evidence-list]").children.length > 0;
    item.classList.toggle("has-files", files);
    var parts = [config.result_labels[item.dataset.state]];
    if (item.hasAttribute("data-commented")) { parts.push(T.commented); }
    if (files) { parts.push(T.has_files); }
    item.setAttribute("aria-label", fill(T.jump_label, { number: item.dataset.number, state: parts.join(", ") }));
    applyFilter();
  }
  function applyFilter() {
    var shown = 0;
    Object.keys(cards).forEach(function (cid) {
      var item = jumpItem(cid);
      var match = jumpFilter === "all" ||
        (jumpFilter === "not_yet" && item.dataset.state === "not_yet") ||
        (jumpFilter === "commented" && item.hasAttribute("data-commented"));
      // Hidden cards stay in the form: the whole-form post still carries every criterion.
      cards[cid].hidden = !match;
      item.parentNode.hidden = !match;
      if (match) { shown += 1; }
    });
    var empty = document.querySelector("[data-jump-empty]");
    if (empty) { empty.hidden = shown > 0; }
  }
  var filters = document.querySelector("[data-jump-filters]");
  if (filters) {
    filters.hidden = false;
    filters.querySelectorAll("[data-filter]").forEach(function (button) {
      button.addEventListener("click", function () {
        jumpFilter = button.dataset.filter;
        filters.querySelectorAll("[data-filter]").forEach(function (b) {
          b.setAttribute("aria-pressed", b === button ? "true" : "false");
        });
        applyFilter();
      });
    });
  }
  // A jump to a criterion hidden by a filter shows everything again.
  document.querySelectorAll("[data-jump]").forEach(function (link) {
    link.addEventListener("click", function () {
      if (cards[link.dataset.jump].hidden && filters) { filters.querySelector("[data-filter=all]").click(); }
    });
  });

  // ---------------------------------------------------------------- saving
  function markEdited(cid) {
    var value = valuesOf(cid);
    if (same(value, base[cid]) && !conflicts[cid]) {
      delete pending[cid];
      setState(cid, "saved");
    } else {
      pending[cid] = value;
      delete failed[cid];
      setState(cid, "unsaved");
    }
    persist();
    window.clearTimeout(timers[cid]);
    timers[cid] = window.setTimeout(function () { delete timers[cid]; flush(); }, DEBOUNCE_MS);
  }

  function nextToSend() {
    var ids = Object.keys(pending);
    for (var i = 0; i < ids.length; i++) {
      var cid = ids[i];
      if (!conflicts[cid] && !failed[cid] && !timers[cid]) { return cid; }
    }
    return null;
  }

  function scheduleRetry() {
    if (retryTimer) { return; }
    retryTimer = window.setTimeout(function () {
      retryTimer = null;
      flush();
    }, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 30000);
  }

  // One request at a time from this page (answers first, then files): a weak connection is not shared
  // between competing requests, and the server sees the officer's changes in the order they were made.
  function flush() {
    if (busy || leaving || uploadActive) { return; }
    if (!navigator.onLine) {
      if (Object.keys(pending).length) { showBanner(T.offline); }
      return;
    }
    var cid = nextToSend();
    if (cid === null) { return; }
    send(cid);
  }

  function send(cid) {
    busy = true;
    var sent = pending[cid];
    setState(cid, "saving");
    var body = new URLSearchParams();
    body.set("version", version);
    body.set("criterion", cid);
    body.set("self_result", sent.self_result);
    body.set("note", sent.note);
    window.fetch(config.save_url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf, "Accept": "application/json" },
      body: body
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { status: response.status, data: data };
      });
    }).then(function (reply) {
      busy = false;
      retryDelay = 2000;
      showBanner("");
      var data = reply.data;
      if (reply.status === 200) {
        version = data.version;
        versionInput.value = data.version;
        base[cid] = { self_result: data.saved.self_result, note: data.saved.note };
        if (same(pending[cid], sent)) {
          delete pending[cid];
          setState(cid, "saved", data.saved_at);
        } else if (!timers[cid]) {
          setState(cid, "unsaved");
        }
        updateCounter(data.answered, data.total);
        updateJump(cid, data.saved.self_result);
        var prefilled = cards[cid].querySelector("[data-prefilled]");
        if (prefilled && data.confirmed) { prefilled.remove(); }
        showBanner("");
      } else if (reply.status === 409 && data.results) {
        reconcile(data.version, data.results);
      } else {
        failed[cid] = true;
        setState(cid, "error", data.error || "");
      }
      persist();
      if (staleCopy && !Object.keys(pending).length) {
        leaving = true;
        window.location.reload();
        return;
      }
      flush();
      nextUpload();
    }).catch(function () {
      // No answer at all: the connection is gone. Keep the edit (it is in localStorage) and try again.
      busy = false;
      setState(cid, navigator.onLine ? "error" : "unsaved", navigator.onLine ? T.network : "");
      showBanner(T.offline);
      persist();
      scheduleRetry();
      nextUpload();
    });
  }

  form.addEventListener("input", onEdit);
  form.addEventListener("change", onEdit);
  function onEdit(event) {
    var target = event.target;
    if (target.type === "file") { return; }
    var card = target.closest("[data-criterion-id]");
    if (!card) { return; }
    var cid = card.dataset.criterionId;
    if (target.name === "confirm") {
      // Confirming a prefilled answer is saving it as it stands.
      if (!target.checked) { return; }
      pending[cid] = valuesOf(cid);
      setState(cid, "unsaved");
      persist();
      flush();
      return;
    }
    markEdited(cid);
  }

  window.addEventListener("online", function () {
    retryDelay = 2000;
    flush();
  });
  window.addEventListener("offline", function () {
    if (Object.keys(pending).length) { showBanner(T.offline); }
  });

  window.addEventListener("beforeunload", function (event) {
    if (leaving || (!Object.keys(pending).length && !busy)) { return; }
    event.preventDefault();
    event.returnValue = T.leave;
    return T.leave;
  });

  // The whole form posts with the latest version: wait for a save or an upload in flight, then submit
  // (and start no new save, which would make the form's version stale).
  var uploading = 0;
  form.addEventListener("submit", function (event) {
    if (staleCopy) {
      event.preventDefault();
      form.dataset.submitted = "";
      showBanner(T.stale_copy);
      return;
    }
    if (busy || uploading) {
      event.preventDefault();
      var submitter = event.submitter;
      var wait = window.setInterval(function () {
        if (busy || uploading) { return; }
        window.clearInterval(wait);
        form.dataset.submitted = "";
        leaving = true;
        form.requestSubmit(submitter);
      }, 100);
      return;
    }
    leaving = true;
  });

  // ---------------------------------------------------------------- start: edits kept on this device
  (function restore() {
    var stored = loadStored();
    var count = 0;
    if (stored && stored.edits) {
      Object.keys(stored.edits).forEach(function (cid) {
        if (!cards[cid]) { return; }
        var mine = stored.edits[cid];
        var server = base[cid];
        if (same(mine, server)) { return; }
        setFields(cid, mine);
        pending[cid] = mine;
        count += 1;
        var startedFrom = stored.base && stored.base[cid];
        if (stored.version >= version && startedFrom) {
          // This page is the same or an older copy (a reload without a connection shows the last copy the
          // phone kept): what the edit started from is the newest we know of.
          base[cid] = startedFrom;
          setState(cid, "unsaved");
        } else if (startedFrom && !same(server, startedFrom)) {
          conflicts[cid] = server;
          showConflict(cid);
        } else {
          setState(cid, "unsaved");
        }
      });
    }
    // Values typed before a failed whole-form post are unsaved too (kept on the page by the form).
    Object.keys(cards).forEach(function (cid) {
      if (pending[cid] || same(valuesOf(cid), base[cid])) { return; }
      pending[cid] = valuesOf(cid);
      if (config.conflict) {
        // A stale whole form: the page shows the latest saved value; saving again is the officer's choice.
        failed[cid] = true;
      }
      setState(cid, "unsaved");
    });
    // A copy of the page kept by the phone (loaded without a connection, or older than the edits): its other
    // answers may be out of date, so the whole form is not posted from it; once the edits are saved the
    // page reloads itself from the server.
    staleCopy = !navigator.onLine || !!(stored && stored.version > version);
    if (stored && stored.version > version) {
      version = stored.version;
      versionInput.value = version;
    }
    persist();
    if (count) {
      restoredText = fill(T.restored, { count: count });
      showBanner(navigator.onLine ? "" : T.offline);
    }
    flush();
  })();

  // A reload without a connection shows the last copy of this page (and the edits above) on this phone.
  if ("serviceWorker" in navigator && config.sw_url) {
    navigator.serviceWorker.register(config.sw_url).catch(function () { /* the page works without it */ });
  }

  // ---------------------------------------------------------------- evidence files
  function evidenceItem(data) {
    var li = document.createElement("li");
    li.className = "d-flex flex-wrap align-items-center gap-2 mb-1";
    li.dataset.evidence = data.id;
    var link = document.createElement("a");
    link.className = "text-break";
    link.href = data.download_url;
    link.textContent = data.name;
    var size = document.createElement("span");
    size.className = "text-muted";
    size.textContent = "(" + data.size + ")";
    var del = document.createElement("button");
    del.type = "button";
    del.className = "btn btn-link btn-sm text-danger p-0";
    del.dataset.deleteUrl = data.delete_url;
    del.dataset.name = data.name;
    del.textContent = T.delete;
    li.appendChild(link);
    li.appendChild(size);
    li.appendChild(del);
    return li;
  }

  function refreshEmpty(card) {
    var list = card.querySelector("[data-evidence-list]");
    card.querySelector("[data-evidence-empty]").hidden = list.children.length > 0;
  }

  function upload(input, file) {
    var card = input.closest("[data-criterion-id]");
    var row = document.createElement("li");
    row.className = "upload-row mb-1";
    row.dataset.upload = file.name;
    var label = document.createElement("span");
    label.className = "d-block text-break";
    var bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    bar.className = "upload-progress";
    var message = document.createElement("span");
    message.className = "d-block";
    row.appendChild(label);
    row.appendChild(bar);
    row.appendChild(message);
    card.querySelector("[data-uploads]").appendChild(row);

    function fail(text) {
      row.dataset.state = "error";
      label.textContent = file.name;
      bar.hidden = true;
      message.textContent = "";
      message.className = "d-block text-danger";
      message.setAttribute("role", "alert");
      message.appendChild(document.createTextNode(text + " "));
      var retry = document.createElement("button");
      retry.type = "button";
      retry.className = "btn btn-link btn-sm p-0 me-2";
      retry.textContent = T.retry;
      retry.addEventListener("click", queue);
      var dismiss = document.createElement("button");
      dismiss.type = "button";
      dismiss.className = "btn btn-link btn-sm p-0";
      dismiss.textContent = T.dismiss;
      dismiss.addEventListener("click", function () { row.remove(); });
      message.appendChild(retry);
      message.appendChild(dismiss);
    }

    function start() {
      row.dataset.state = "uploading";
      label.textContent = fill(T.uploading, { name: file.name });
      bar.hidden = false;
      bar.value = 0;
      bar.setAttribute("aria-label", label.textContent);
      message.textContent = "";
      message.removeAttribute("role");
      var xhr = new XMLHttpRequest();
      xhr.addEventListener("loadend", function () {
        uploading -= 1;
        uploadActive = false;
        flush();
        nextUpload();
      });
      xhr.open("POST", input.dataset.uploadUrl);
      xhr.setRequestHeader("X-CSRFToken", csrf);
      xhr.setRequestHeader("Accept", "application/json");
      xhr.upload.addEventListener("progress", function (event) {
        if (event.lengthComputable) { bar.value = Math.round(event.loaded / event.total * 100); }
      });
      xhr.addEventListener("load", function () {
        var data = {};
        try { data = JSON.parse(xhr.responseText); } catch (e) { data = {}; }
        if (xhr.status === 201) {
          row.remove();
          card.querySelector("[data-evidence-list]").appendChild(evidenceItem(data));
          refreshEmpty(card);
          updateJump(card.dataset.criterionId);
        } else {
          fail(data.error || fill(T.upload_failed, { name: file.name }));
        }
      });
      xhr.addEventListener("error", function () {
        fail(fill(T.upload_failed, { name: file.name }) + " " + T.network);
      });
      var body = new FormData();
      body.append("file", file);
      xhr.send(body);
    }
    function queue() {
      uploading += 1;
      row.dataset.state = "waiting";
      label.textContent = fill(T.uploading, { name: file.name });
      bar.hidden = false;
      bar.value = 0;
      message.textContent = "";
      uploadQueue.push(start);
      nextUpload();
    }
    queue();
  }

  // One file at a time: on a weak connection parallel uploads only slow each other down.
  var uploadQueue = [];
  var uploadActive = false;
  function nextUpload() {
    if (uploadActive || busy || !uploadQueue.length) { return; }
    uploadActive = true;
    uploadQueue.shift()();
  }

  form.querySelectorAll("input[type=file][data-upload-url]").forEach(function (input) {
    input.addEventListener("change", function () {
      var chosen = Array.prototype.slice.call(input.files);
      // Sent one by one now, so the whole form must not send them again.
      input.value = "";
      chosen.forEach(function (file) { upload(input, file); });
    });
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-delete-url]");
    if (!button || !form.contains(button)) { return; }
    event.preventDefault();
    if (!window.confirm(fill(T.confirm_delete, { name: button.dataset.name }))) { return; }
    var item = button.closest("[data-evidence]");
    var card = button.closest("[data-criterion-id]");
    button.disabled = true;
    window.fetch(button.dataset.deleteUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf, "Accept": "application/json" }
    }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      item.remove();
      refreshEmpty(card);
      updateJump(card.dataset.criterionId);
    }).catch(function () {
      button.disabled = false;
      var note = item.querySelector("[data-delete-error]") || document.createElement("span");
      note.dataset.deleteError = "";
      note.className = "text-danger";
      note.setAttribute("role", "alert");
      note.textContent = T.delete_failed;
      item.appendChild(note);
    });
  });
})();
