// Search as you type: /search.json answers the best matches first; arrows move, Enter opens.
(function () {
  "use strict";
  const form = document.querySelector("form.search");
  if (!form) return;
  const input = form.querySelector("input[name=q]");
  const list = form.querySelector(".suggest");
  const url = form.dataset.suggest;
  let timer = null, asked = "", active = -1, pending = null;

  function close() {
    list.hidden = true; list.innerHTML = ""; active = -1;
    input.setAttribute("aria-expanded", "false");
  }
  function mark(i) {
    const links = list.querySelectorAll("a");
    links.forEach((a, j) => a.setAttribute("aria-selected", j === i ? "true" : "false"));
    active = i;
    if (links[i]) input.setAttribute("aria-activedescendant", links[i].id);
  }
  function show(hits) {
    list.innerHTML = "";
    hits.forEach((h, i) => {
      const li = document.createElement("li");
      li.setAttribute("role", "presentation");
      const a = document.createElement("a");
      a.href = h.url; a.id = "sg-" + i; a.setAttribute("role", "option");
      a.textContent = h.name || h.code;
      const k = document.createElement("span");
      k.className = "kind"; k.textContent = h.kind_label + " " + h.code + (h.context ? " · " + h.context : "");
      a.appendChild(k); li.appendChild(a); list.appendChild(li);
    });
    list.hidden = hits.length === 0;
    input.setAttribute("aria-expanded", hits.length ? "true" : "false");
    active = -1;
  }
  async function ask(text) {
    asked = text;
    if (pending) pending.abort();  // only the latest text matters
    pending = new AbortController();
    let r;
    try {
      r = await fetch(url + "?q=" + encodeURIComponent(text),
                      {headers: {Accept: "application/json"}, signal: pending.signal});
    } catch (e) { return; }  // aborted by a newer keystroke
    if (!r.ok || asked !== text) return;
    const body = await r.json();
    if (asked === text) show(body.results || []);
  }
  input.addEventListener("input", () => {
    clearTimeout(timer);
    const text = input.value.trim();
    if (!text) { close(); return; }
    timer = setTimeout(() => ask(text), 120);
  });
  input.addEventListener("keydown", (ev) => {
    const links = list.querySelectorAll("a");
    if (ev.key === "ArrowDown" && links.length) { ev.preventDefault(); mark((active + 1) % links.length); }
    else if (ev.key === "ArrowUp" && links.length) { ev.preventDefault(); mark((active - 1 + links.length) % links.length); }
    else if (ev.key === "Enter" && active >= 0 && links[active]) { ev.preventDefault(); window.location.href = links[active].href; }
    else if (ev.key === "Escape") { close(); }
  });
  document.addEventListener("click", (ev) => { if (!form.contains(ev.target)) close(); });
})();
