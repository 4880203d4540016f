// Heldar's page: every camera's footage, gaps (with their causes) and snapshots over a window,
// from the read-only API; a click plays the clip from that moment. No build step, no library,
// nothing from elsewhere. The view lives in the URL's fragment, so a view can be shared.

const HOUR = 3600e3;
const WINDOWS = { "1h": HOUR, "24h": 24 * HOUR, "7d": 7 * 24 * HOUR };
const WIDTH = 1000;

const $ = (id) => document.getElementById(id);
const token = () => sessionStorage.getItem("heldar-token");

class Unauthorized extends Error {}

async function api(path) {
  const headers = token() ? { Authorization: "Bearer " + token() } : {};
  const r = await fetch(path, { headers });
  if (r.status === 401) throw new Unauthorized();
  if (!r.ok) {
    let message = r.status + "";
    try { message = (await r.json()).error; } catch (e) { /* not JSON */ }
    throw new Error(path + ": " + message);
  }
  return r.json();
}

/** The view from the fragment: from, to (ms), zone. */
function view() {
  const p = new URLSearchParams(location.hash.slice(1));
  const zone = p.get("zone") || Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  if (p.get("from") && p.get("to")) {
    return { from: Date.parse(p.get("from")), to: Date.parse(p.get("to")), zone };
  }
  if (p.get("day")) {
    return { ...dayBounds(p.get("day"), zone), zone };
  }
  const length = WINDOWS[p.get("window") || "24h"] || WINDOWS["24h"];
  const to = Date.now();
  return { from: to - length, to, zone };
}

/** A calendar day in a zone: its first instant and the next day's (23 or 25 h across DST). */
function dayBounds(day, zone) {
  const start = zonedMidnight(day, zone);
  const next = new Date(Date.parse(day + "T00:00:00Z") + 24 * HOUR).toISOString().slice(0, 10);
  return { from: start, to: zonedMidnight(next, zone) };
}

/** The instant of midnight starting {@code day} in {@code zone}. */
function zonedMidnight(day, zone) {
  let guess = Date.parse(day + "T00:00:00Z");
  for (let i = 0; i < 3; i++) {
    const parts = new Intl.DateTimeFormat("en-CA", {
      timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23",
    }).formatToParts(new Date(guess));
    const f = Object.fromEntries(parts.map((x) => [x.type, x.value]));
    const shown = Date.parse(`${f.year}-${f.month}-${f.day}T${f.hour}:${f.minute}:${f.second}Z`);
    guess += Date.parse(day + "T00:00:00Z") - shown;
  }
  return guess;
}

function setView(v) {
  const p = new URLSearchParams();
  p.set("from", new Date(v.from).toISOString());
  p.set("to", new Date(v.to).toISOString());
  p.set("zone", v.zone);
  location.hash = p.toString();
}

const iso = (ms) => new Date(ms).toISOString();

function label(ms, zone, seconds) {
  return new Intl.DateTimeFormat(undefined, {
    timeZone: zone, month: "short", day: "numeric", hour: "2-digit", minute: "2-digit",
    ...(seconds ? { second: "2-digit" } : {}),
  }).format(new Date(ms));
}

/** A window's length in words: minutes under two hours, else hours (23 and 25 on DST days). */
function length(ms) {
  return ms < 2 * HOUR ? `${Math.round(ms / 60e3)} min` : `${Math.round(ms / HOUR)} h`;
}

const svgNs = "http://www.w3.org/2000/svg";

function rect(svg, v, start, end, attrs, title) {
  const x = Math.max(0, ((start - v.from) / (v.to - v.from)) * WIDTH);
  const x2 = Math.min(WIDTH, ((end - v.from) / (v.to - v.from)) * WIDTH);
  const r = document.createElementNS(svgNs, "rect");
  r.setAttribute("x", x.toFixed(2));
  r.setAttribute("width", Math.max(0.5, x2 - x).toFixed(2));
  r.setAttribute("y", attrs.gap ? "0" : "4");
  r.setAttribute("height", attrs.gap ? "20" : "12");
  for (const [k, val] of Object.entries(attrs)) if (k !== "gap") r.setAttribute(k, val);
  const t = document.createElementNS(svgNs, "title");
  t.textContent = title;
  r.appendChild(t);
  svg.appendChild(r);
}

async function camera(c, v) {
  const li = document.createElement("li");
  li.className = "camera";
  li.dataset.camera = c.id;
  const who = document.createElement("div");
  who.className = "who";
  const status = c.status || "unknown";
  who.innerHTML = "";
  const name = document.createElement("strong");
  name.textContent = c.name || c.id;
  const st = document.createElement("div");
  st.className = "status-" + status;
  st.textContent = `${status}: ${c.status_reason || ""}`;
  const age = document.createElement("div");
  age.textContent = c.newest_footage_end
    ? "footage until " + label(Date.parse(c.newest_footage_end), v.zone) : "no footage";
  const gaps = document.createElement("div");
  gaps.textContent = `${c.open_gaps || 0} open gap(s)`;
  who.append(name, st, age, gaps);
  li.append(who);
  const shots = await api(`api/cameras/${encodeURIComponent(c.id)}/snapshots?from=${iso(v.from)}&to=${iso(v.to)}&limit=1`);
  const t = await api(`api/cameras/${encodeURIComponent(c.id)}/timeline?from=${iso(v.from)}&to=${iso(v.to)}`);
  const svg = document.createElementNS(svgNs, "svg");
  svg.setAttribute("class", "track");
  svg.setAttribute("viewBox", `0 0 ${WIDTH} 20`);
  svg.setAttribute("preserveAspectRatio", "none");
  svg.setAttribute("tabindex", "0");
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", `${c.id}: ${t.runs.length} run(s) of footage, ${t.gaps.length} gap(s); Enter plays, arrows pan, + and - zoom`);
  for (const r of t.runs) {
    rect(svg, v, Date.parse(r.start), Date.parse(r.end),
      { class: "footage", "data-start": r.start, "data-end": r.end },
      `footage ${r.start} .. ${r.end} (${r.segments} segments)`);
  }
  for (const g of t.gaps) {
    rect(svg, v, Date.parse(g.start_time), Date.parse(g.end_time),
      { gap: true, "data-gap-cause": g.cause, "data-start": g.start_time, "data-end": g.end_time },
      `${g.cause}: ${g.start_time} .. ${g.end_time}`);
  }
  svg.addEventListener("click", (e) => {
    const box = svg.getBoundingClientRect();
    const at = v.from + ((e.clientX - box.left) / box.width) * (v.to - v.from);
    play(c.id, at, v, t.runs);
  });
  svg.addEventListener("keydown", (e) => keys(e, c.id, v, t.runs));
  li.append(svg);
  if (shots.snapshots.length) {
    // The last snapshot of the window beside the name, and a strip of them along the timeline.
    who.prepend(await image(c.id, v.to, "latest snapshot"));
    const strip = document.createElement("div");
    strip.className = "strip";
    for (let i = 0; i < STRIP; i++) {
      const at = v.from + ((i + 0.5) * (v.to - v.from)) / STRIP;
      const img = await image(c.id, at, "snapshot near " + label(at, v.zone));
      img.addEventListener("click", () => play(c.id, at, v, t.runs));
      strip.append(img);
    }
    li.append(document.createElement("span"), strip);
  }
  return li;
}

const STRIP = 12;

/** A snapshot of {@code id} near {@code at}: by URL, or fetched with the token (an img sends none). */
async function image(id, at, alt) {
  const img = document.createElement("img");
  img.alt = alt;
  img.loading = "lazy";
  const url = `api/cameras/${encodeURIComponent(id)}/snapshot.jpg?at=${iso(Math.round(at))}`;
  if (token()) {
    const r = await fetch(url, { headers: { Authorization: "Bearer " + token() } });
    if (r.ok) img.src = URL.createObjectURL(await r.blob());
  } else {
    img.src = url;
  }
  return img;
}

function keys(e, id, v, runs) {
  const span = v.to - v.from;
  if (e.key === "Enter" && runs.length) play(id, Date.parse(runs[0].start), v, runs);
  else if (e.key === "ArrowLeft") setView({ ...v, from: v.from - span / 4, to: v.to - span / 4 });
  else if (e.key === "ArrowRight") setView({ ...v, from: v.from + span / 4, to: v.to + span / 4 });
  else if (e.key === "+") setView({ ...v, from: v.from + span / 4, to: v.to - span / 4 });
  else if (e.key === "-") setView({ ...v, from: v.from - span / 2, to: v.to + span / 2 });
  else return;
  e.preventDefault();
}

/** Plays the clip of {@code id} from {@code at}: up to ten minutes, gaps left out. */
async function play(id, at, v, runs) {
  const run = runs.find((r) => Date.parse(r.end) > at);
  if (!run) return;
  const start = Math.max(at, Date.parse(run.start));
  const end = Math.min(v.to, start + 10 * 60e3, Date.parse(run.end));
  if (end <= start) return;
  const url = `api/cameras/${encodeURIComponent(id)}/clip.mp4?start=${iso(start)}&end=${iso(end)}`;
  const video = $("video");
  $("player").hidden = false;
  $("playing").textContent = `${id} from ${label(start, v.zone)}`;
  if (token()) {
    const r = await fetch(url, { headers: { Authorization: "Bearer " + token() } });
    video.src = URL.createObjectURL(await r.blob());
  } else {
    video.src = url;
  }
  video.dataset.start = iso(start);
  await video.play();
}

async function events(v) {
  const list = $("events");
  list.replaceChildren();
  const page = await api("api/events?limit=20");
  for (const e of page.events.slice().reverse()) {
    const li = document.createElement("li");
    const a = document.createElement("a");
    const at = Date.parse(e.created_at);
    const span = v.to - v.from;
    a.href = "#" + new URLSearchParams({ from: iso(at - span / 2), to: iso(at + span / 2), zone: v.zone });
    a.textContent = `${e.created_at} ${e.camera_id || ""} ${e.kind}`;
    li.append(a);
    list.append(li);
  }
}

async function render() {
  const v = view();
  $("zone").value = v.zone;
  document.querySelectorAll("nav button").forEach((b) =>
    b.setAttribute("aria-pressed", String(WINDOWS[b.dataset.window] === v.to - v.from)));
  const fine = v.to - v.from < HOUR;
  $("status").textContent = `${label(v.from, v.zone, fine)} – ${label(v.to, v.zone, fine)} (${length(v.to - v.from)}, ${v.zone})`;
  const axis = $("axis");
  axis.replaceChildren();
  for (let i = 0; i <= 4; i++) {
    const s = document.createElement("span");
    s.textContent = label(v.from + ((v.to - v.from) * i) / 4, v.zone, fine);
    axis.append(s);
  }
  try {
    const cameras = await api("api/cameras");
    const rows = await Promise.all(cameras.map((c) => camera(c, v)));
    $("cameras").replaceChildren(...rows);
    await events(v);
    document.body.dataset.ready = "true";
  } catch (e) {
    if (e instanceof Unauthorized) {
      $("login").hidden = false;
      $("status").textContent = "Sign in with the server's token.";
      document.body.dataset.ready = "login";
    } else {
      $("status").textContent = "Cannot load: " + e.message;
      document.body.dataset.ready = "error";
    }
  }
}

document.querySelectorAll("nav button").forEach((b) =>
  b.addEventListener("click", () => {
    const zone = view().zone;
    location.hash = new URLSearchParams({ window: b.dataset.window, zone }).toString();
  }));
$("day").addEventListener("change", (e) => {
  location.hash = new URLSearchParams({ day: e.target.value, zone: view().zone }).toString();
});
$("zone").addEventListener("change", (e) => {
  const p = new URLSearchParams(location.hash.slice(1));
  p.set("zone", e.target.value);
  location.hash = p.toString();
});
$("login").addEventListener("submit", (e) => {
  e.preventDefault();
  sessionStorage.setItem("heldar-token", $("token").value);
  $("login").hidden = true;
  render();
});
window.addEventListener("hashchange", render);
render();
