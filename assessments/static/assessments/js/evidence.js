// Evidence files upload one by one with a progress bar, a retry and a per-file error; deleting a file is an async
// request that leaves every field as typed.
import { csrfToken, pageKey } from "../../portal/offline.js";
import { fill } from "./view.js";

export function createEvidence({ form, view, line, jump }) {
  const T = view.T;
  const key = pageKey() || "";
  const formToken = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  const queue = [];
  let waiting = 0;  // files queued or being sent (the whole-form post waits for them)

  // One file at a time: on a weak connection parallel uploads only slow each other down.
  function next() {
    if (line.uploading || line.saving || !queue.length) { return; }
    line.uploading = true;
    queue.shift()();
  }

  function evidenceItem(data) {
    const li = document.createElement("li");
    li.className = "d-flex flex-wrap align-items-center gap-2 mb-1";
    li.dataset.evidence = data.id;
    const link = document.createElement("a");
    link.className = "text-break";
    link.href = data.download_url;
    link.textContent = data.name;
    const size = document.createElement("span");
    size.className = "text-muted";
    size.textContent = "(" + data.size + ")";
    const del = document.createElement("button");
    del.type = "button";
    del.className = "btn btn-link btn-sm text-danger p-0";
    del.dataset.deleteUrl = data.delete_url;
    del.dataset.name = data.name;
    del.textContent = T.delete;
    li.append(link, size, del);
    return li;
  }

  function refreshEmpty(card) {
    const list = card.querySelector("[data-evidence-list]");
    card.querySelector("[data-evidence-empty]").hidden = list.children.length > 0;
  }

  function upload(input, file) {
    const card = input.closest("[data-criterion-id]");
    const row = document.createElement("li");
    row.className = "upload-row mb-1";
    row.dataset.upload = file.name;
    const label = document.createElement("span");
    label.className = "d-block text-break";
    const bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    bar.className = "upload-progress";
    const message = document.createElement("span");
    message.className = "d-block";
    row.append(label, bar, message);
    card.querySelector("[data-uploads]").appendChild(row);

    function fail(text) {
      row.dataset.state = "error";
      label.textContent = file.name;
      bar.hidden = true;
      message.textContent = "";
      message.className = "d-block text-danger";
      message.setAttribute("role", "alert");
      message.appendChild(document.createTextNode(text + " "));
      const retry = document.createElement("button");
      retry.type = "button";
      retry.className = "btn btn-link btn-sm p-0 me-2";
      retry.textContent = T.retry;
      retry.addEventListener("click", enqueue);
      const dismiss = document.createElement("button");
      dismiss.type = "button";
      dismiss.className = "btn btn-link btn-sm p-0";
      dismiss.textContent = T.dismiss;
      dismiss.addEventListener("click", () => row.remove());
      message.append(retry, dismiss);
    }

    function start() {
      row.dataset.state = "uploading";
      label.textContent = fill(T.uploading, { name: file.name });
      bar.hidden = false;
      bar.value = 0;
      bar.setAttribute("aria-label", label.textContent);
      message.textContent = "";
      message.removeAttribute("role");
      const xhr = new XMLHttpRequest();
      xhr.addEventListener("loadend", () => {
        waiting -= 1;
        line.uploading = false;
        line.afterUpload();
      });
      xhr.open("POST", input.dataset.uploadUrl);
      xhr.setRequestHeader("X-CSRFToken", csrfToken(formToken));
      xhr.setRequestHeader("Accept", "application/json");
      xhr.setRequestHeader("X-Offline-Key", key);
      xhr.upload.addEventListener("progress", (event) => {
        if (event.lengthComputable) { bar.value = Math.round(event.loaded / event.total * 100); }
      });
      xhr.addEventListener("load", () => {
        let data = {};
        try { data = JSON.parse(xhr.responseText); } catch (e) { data = {}; }
        if (xhr.status === 201) {
          row.remove();
          card.querySelector("[data-evidence-list]").appendChild(evidenceItem(data));
          refreshEmpty(card);
          jump.update(card.dataset.criterionId);
        } else if (new URL(xhr.responseURL).pathname !== input.dataset.uploadUrl ||
                   (xhr.status === 403 && !data.error)) {
          // Sent to the sign-in page: the session ran out, the file is still here to send again.
          view.showExpired(true);
          fail(fill(T.upload_failed, { name: file.name }) + " " + T.expired);
        } else {
          fail(data.error || fill(T.upload_failed, { name: file.name }));
        }
      });
      xhr.addEventListener("error", () => {
        fail(fill(T.upload_failed, { name: file.name }) + " " + T.network);
      });
      const body = new FormData();
      body.append("file", file);
      xhr.send(body);
    }

    function enqueue() {
      waiting += 1;
      row.dataset.state = "waiting";
      label.textContent = fill(T.uploading, { name: file.name });
      bar.hidden = false;
      bar.value = 0;
      message.textContent = "";
      queue.push(start);
      next();
    }
    enqueue();
  }

  form.querySelectorAll("input[type=file][data-upload-url]").forEach((input) => {
    input.addEventListener("change", () => {
      const chosen = Array.from(input.files);
      // Sent one by one now, so the whole form must not send them again.
      input.value = "";
      chosen.forEach((file) => upload(input, file));
    });
  });

  async function remove(button) {
    const item = button.closest("[data-evidence]");
    const card = button.closest("[data-criterion-id]");
    button.disabled = true;
    try {
      const response = await fetch(button.dataset.deleteUrl, {
        method: "POST", credentials: "same-origin", redirect: "manual",
        headers: { "X-CSRFToken": csrfToken(formToken), "Accept": "application/json", "X-Offline-Key": key },
      });
      if (response.type === "opaqueredirect") { view.showExpired(true); }
      if (!response.ok) { throw new Error(String(response.status)); }
      item.remove();
      refreshEmpty(card);
      jump.update(card.dataset.criterionId);
    } catch (e) {
      button.disabled = false;
      const note = item.querySelector("[data-delete-error]") || document.createElement("span");
      note.dataset.deleteError = "";
      note.className = "text-danger";
      note.setAttribute("role", "alert");
      note.textContent = T.delete_failed;
      item.appendChild(note);
    }
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-delete-url]");
    if (!button || !form.contains(button)) { return; }
    event.preventDefault();
    if (window.confirm(fill(T.confirm_delete, { name: button.dataset.name }))) { remove(button); }
  });

  return { next, waiting: () => waiting };
}
