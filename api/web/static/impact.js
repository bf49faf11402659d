// The impact panel: who is affected downstream, loaded after the page is shown.
(function () {
  "use strict";
  const box = document.getElementById("impact");
  if (!box) return;
  const text = JSON.parse(document.getElementById("impact-text").textContent);
  const status = document.getElementById("impact-status");
  fetch(box.dataset.url, {headers: {Accept: "application/json"}}).then(async (r) => {
    if (!r.ok) { status.textContent = text.failed + " (" + r.status + ")"; return; }
    const data = await r.json();
    Object.keys(data).forEach((key) => {
      const part = data[key];
      if (!part || typeof part !== "object" || !("count" in part)) return;
      const count = box.querySelector('[data-count="' + key + '"]');
      const list = box.querySelector('[data-list="' + key + '"]');
      if (count) count.textContent = String(part.count);
      if (!list) return;
      part.shown.forEach((e) => {
        const li = document.createElement("li");
        const a = document.createElement("a");
        a.href = e.url; a.textContent = e.label;
        const c = document.createElement("span");
        c.className = "code"; c.textContent = " " + e.code;
        li.append(a, c); list.appendChild(li);
      });
      if (part.count > part.shown.length) {
        const li = document.createElement("li");
        li.className = "empty"; li.textContent = text.more.replace("%d", part.count - part.shown.length);
        list.appendChild(li);
      }
    });
    status.textContent = data.truncated ? text.truncated : text.done;
    box.dataset.ready = "1";
  });
})();
