// While an audit runs, poll its status and reload the page when the new result is there.
(function () {
  "use strict";
  const box = document.getElementById("audit-status");
  if (!box) return;
  const state = box.dataset.state;
  const hasResult = !!document.getElementById("ranking");
  if (state !== "running" && hasResult) return;
  const bar = box.querySelector("progress");
  const timer = setInterval(async () => {
    const r = await fetch("/dashboard/status.json", {headers: {Accept: "application/json"}});
    if (!r.ok) return;
    const s = await r.json();
    if (bar && s.total) { bar.max = s.total; bar.value = s.done || 0; }
    if (s.state !== "running" && s.finished_at && s.finished_at !== box.dataset.finished) {
      clearInterval(timer); window.location.reload();
    }
  }, 2000);
})();
