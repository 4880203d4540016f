// Heldar's page: every camera's footage, gaps (with their causes) and snapshots over a window,
// from the read-only API; a click plays the clip from that moment. No build step, no library,
// nothing from elsewhere. The view lives in the URL's fragment, so a view can be shared.
//
// One render asks three things, whatever the number of cameras or segments: the cameras, every
// camera's runs and gaps (/api/timeline) and the newest events. Pictures come after the first
// render: per camera with snapshots, the latest, and one sprite sheet found through its WebVTT
// thumbnails track, which is both the strip under the timeline and the preview under the pointer.

const HOUR = 3600e3;
const WINDOWS = { "1h": HOUR, "24h": 24 * HOUR, "7d": 7 * 24 * HOUR };
const WIDTH = 1000;
const STRIP = 10; // thumbnails in a strip: one row of the sprite sheet
const EVENTS = 20;
const MIN_SPAN = 10e3;
const MAX_SPAN = 31 * 24 * HOUR;

const $ = (id) => document.getElementById(id);
const token = () => sessionStorage.getItem("heldar-token");
const authorized = () => (token() ? { headers: { Authorization: "Bearer " + token() } } : {});
const iso = (ms) => new Date(Math.round(ms)).toISOString();
const cameraPath = (id) => `api/cameras/${encodeURIComponent(id)}/`;

class Unauthorized extends Error {}

async function api(path) {
  const r = await fetch(path, authorized());
  if (r.status === 401) throw new Unauthorized();
  if (!r.ok) {
    let message = r.status + "";
    try { message = (await r.json()).error; } catch (e) { /* not JSON */ }
    throw new Error(path + ": " + message);
  }
  return r.json();
}

/** A URL an <img> or <video> can load: itself, or with a token its body as a blob (cached). */
const blobs = new Map();
function loadable(url) {
  if (!token()) return Promise.resolve(url);
  if (!blobs.has(url)) {
    blobs.set(url, fetch(url, authorized()).then((r) => {
      if (!r.ok) throw new Error(url + ": " + r.status);
      return r.blob();
    }).then((b) => URL.createObjectURL(b)));
  }
  return blobs.get(url);
}

// ---- the view ------------------------------------------------------------------------------

/** The view from the fragment: from, to (ms), zone. */
function view() {
  const p = new URLSearchParams(location.hash.slice(1));
  const zone = validZone(p.get("zone")) || Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  const from = Date.parse(p.get("from")), to = Date.parse(p.get("to"));
  if (from < to) return { from, to, zone };
  if (/^\d{4}-\d{2}-\d{2}$/.test(p.get("day") || "")) return { ...dayBounds(p.get("day"), zone), zone };
  const length = WINDOWS[p.get("window")] || WINDOWS["24h"];
  const end = Date.now();
  return { from: end - length, to: end, zone };
}

function validZone(zone) {
  try {
    return zone && new Intl.DateTimeFormat("en", { timeZone: zone }) && zone;
  } catch (e) {
    return null;
  }
}

/** A calendar day in a zone: its first instant and the next day's (23 or 25 h across DST). */
function dayBounds(day, zone) {
  const start = zonedMidnight(day, zone);
  const next = new Date(Date.parse(day + "T00:00:00Z") + 24 * HOUR).toISOString().slice(0, 10);
  return { from: start, to: zonedMidnight(next, zone) };
}

/** The instant of midnight starting {@code day} in {@code zone}. */
function zonedMidnight(day, zone) {
  const format = new Intl.DateTimeFormat("en-CA", {
    timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23",
  });
  let guess = Date.parse(day + "T00:00:00Z");
  for (let i = 0; i < 3; i++) {
    const f = Object.fromEntries(format.formatToParts(new Date(guess)).map((x) => [x.type, x.value]));
    const shown = Date.parse(`${f.year}-${f.month}-${f.day}T${f.hour}:${f.minute}:${f.second}Z`);
    guess += Date.parse(day + "T00:00:00Z") - shown;
  }
  return guess;
}

/** Shows {@code from}..{@code to}, to the second, kept between 10 s and 31 days long. */
function setView(v) {
  let { from, to } = v;
  const span = Math.min(MAX_SPAN, Math.max(MIN_SPAN, to - from));
  const middle = (from + to) / 2;
  from = Math.round((middle - span / 2) / 1000) * 1000; // whole seconds: a URL people can read
  to = Math.round((middle + span / 2) / 1000) * 1000;
  location.hash = new URLSearchParams({ from: iso(from), to: iso(to), zone: v.zone }).toString();
}

/** The view moved by {@code share} of its length (negative: back in time). */
const pan = (v, share) => ({ ...v, from: v.from + share * (v.to - v.from), to: v.to + share * (v.to - v.from) });

/** The view zoomed by {@code factor} (below 1: in) around the instant {@code at}. */
const zoom = (v, factor, at) => ({ ...v, from: at - (at - v.from) * factor, to: at + (v.to - at) * factor });

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

// ---- a camera's row ------------------------------------------------------------------------

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

function text(tag, className, content) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  e.textContent = content;
  return e;
}

/** The instant under a pointer's x on {@code element}. */
function instantAt(element, clientX, v) {
  const box = element.getBoundingClientRect();
  return v.from + ((clientX - box.left) / box.width) * (v.to - v.from);
}

function row(c, t, v) {
  const li = document.createElement("li");
  li.className = "camera";
  li.dataset.camera = c.id;
  const who = document.createElement("div");
  who.className = "who";
  const status = c.status || "unknown";
  who.append(
    text("strong", "", c.name || c.id),
    text("div", "status-" + status, `${status.replace("_", " ")}: ${c.status_reason || ""}`),
    text("div", "", c.newest_footage_end
      ? "footage until " + label(Date.parse(c.newest_footage_end), v.zone) : "no footage"),
    text("div", "", `${c.open_gaps || 0} open gap(s)`));
  const svg = document.createElementNS(svgNs, "svg");
  svg.setAttribute("class", "track");
  svg.setAttribute("viewBox", `0 0 ${WIDTH} 20`);
  svg.setAttribute("preserveAspectRatio", "none");
  svg.setAttribute("tabindex", "0");
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", `${c.id}: ${t.runs.length} run(s) of footage, ${t.gaps.length} gap(s);`
    + " Enter plays, arrows pan, + and - zoom");
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
  const track = { id: c.id, runs: t.runs, gaps: t.gaps, thumbnails: null };
  pointer(svg, v, track);
  svg.addEventListener("keydown", (e) => keys(e, v, track));
  const strip = document.createElement("div");
  strip.className = "strip";
  li.append(who, svg, document.createElement("span"), strip);
  if (t.snapshots) pictures(li, who, strip, v, track);
  return li;
}

/** Click plays; a drag pans; the wheel zooms around the pointer; hovering previews a snapshot. */
function pointer(svg, v, track) {
  let down = null, dragged = false;
  svg.addEventListener("pointerdown", (e) => {
    down = e.clientX;
    dragged = false;
    try { svg.setPointerCapture(e.pointerId); } catch (x) { /* not a live pointer */ }
  });
  svg.addEventListener("pointermove", (e) => {
    if (down !== null && Math.abs(e.clientX - down) > 4) {
      dragged = true;
      svg.style.transform = `translateX(${e.clientX - down}px)`;
    }
    preview(svg, e, v, track);
  });
  svg.addEventListener("pointerleave", () => { $("preview").hidden = true; });
  svg.addEventListener("pointerup", (e) => {
    if (dragged) {
      const box = svg.getBoundingClientRect();
      setView(pan(v, -(e.clientX - down) / box.width));
    }
    down = null;
  });
  svg.addEventListener("click", (e) => {
    if (!dragged) play(track, instantAt(svg, e.clientX, v), v);
    dragged = false;
  });
  let wheel = null, factor = 1;
  svg.addEventListener("wheel", (e) => {
    e.preventDefault();
    factor *= e.deltaY > 0 ? 1.25 : 0.8;
    const at = instantAt(svg, e.clientX, v);
    clearTimeout(wheel); // one new view when the wheel rests, not one per notch
    wheel = setTimeout(() => setView(zoom(v, factor, at)), 150);
  }, { passive: false });
}

function keys(e, v, track) {
  const moves = {
    ArrowLeft: () => setView(pan(v, -0.25)),
    ArrowRight: () => setView(pan(v, 0.25)),
    "+": () => setView(zoom(v, 0.5, (v.from + v.to) / 2)),
    "=": () => setView(zoom(v, 0.5, (v.from + v.to) / 2)),
    "-": () => setView(zoom(v, 2, (v.from + v.to) / 2)),
    Enter: () => track.runs.length && play(track, Date.parse(track.runs[0].start), v),
  };
  if (!moves[e.key]) return;
  e.preventDefault();
  moves[e.key]();
}

// ---- snapshots: the latest, the strip and the scrub preview --------------------------------

/** A WebVTT thumbnails track: cues of {start, end} (ms from the range's start), url, x, y, w, h. */
function parseThumbnails(vtt, base) {
  const cues = [];
  const time = (s) => s.split(":").reduce((a, b) => a * 60 + Number(b), 0) * 1000;
  for (const block of vtt.split(/\n\n+/)) {
    const lines = block.trim().split("\n");
    const i = lines.findIndex((l) => l.includes("-->"));
    if (i < 0 || !lines[i + 1]) continue;
    const [start, end] = lines[i].split("-->").map((s) => time(s.trim()));
    const [file, fragment] = lines[i + 1].split("#xywh=");
    const [x, y, w, h] = (fragment || "0,0,0,0").split(",").map(Number);
    cues.push({ start, end, url: new URL(file, base).href, x, y, w, h });
  }
  return cues;
}

async function pictures(li, who, strip, v, track) {
  try {
    const base = new URL(cameraPath(track.id), location.href);
    const latest = document.createElement("img");
    latest.alt = "latest snapshot";
    latest.src = await loadable(`${cameraPath(track.id)}snapshot.jpg?at=${iso(v.to)}`);
    who.prepend(latest);
    const r = await fetch(`${cameraPath(track.id)}thumbnails.vtt?from=${iso(v.from)}&to=${iso(v.to)}&count=${STRIP}`,
      authorized());
    if (!r.ok) throw new Error("thumbnails.vtt: " + r.status);
    const cues = parseThumbnails(await r.text(), base);
    if (!cues.length) return;
    const sheet = await loadable(cues[0].url);
    track.thumbnails = { cues, sheet };
    const img = document.createElement("img");
    img.alt = `${STRIP} snapshots from ${label(v.from, v.zone)} to ${label(v.to, v.zone)}`;
    img.src = sheet;
    img.addEventListener("click", (e) => play(track, instantAt(img, e.clientX, v), v));
    strip.append(img);
  } catch (e) {
    strip.append(text("span", "note", "snapshots not shown: " + e.message));
  }
}

/** The thumbnail of the instant under the pointer, from the track's cues, over the timeline. */
function preview(svg, e, v, track) {
  const box = $("preview");
  const at = instantAt(svg, e.clientX, v);
  const cue = track.thumbnails && track.thumbnails.cues.find((c) => at - v.from >= c.start && at - v.from < c.end);
  box.hidden = false;
  box.querySelector("time").textContent = label(at, v.zone, v.to - v.from < 2 * HOUR);
  const thumb = box.querySelector("div");
  thumb.hidden = !cue;
  if (cue) {
    thumb.style.backgroundImage = `url("${track.thumbnails.sheet}")`;
    thumb.style.backgroundPosition = `-${cue.x}px -${cue.y}px`;
    thumb.style.width = cue.w + "px";
    thumb.style.height = cue.h + "px";
  }
  const width = box.offsetWidth;
  box.style.left = Math.max(0, Math.min(window.innerWidth - width, e.pageX - width / 2)) + "px";
  box.style.top = (svg.getBoundingClientRect().bottom + window.scrollY + 4) + "px";
}

// ---- playing -------------------------------------------------------------------------------

/**
 * Plays the footage of {@code track} from {@code at} to the end of its run (at most ten minutes,
 * within the view): a clip never runs across a gap, so a gap is never a frozen frame. When the
 * run ends, the gap after it is named, with a button to play on from the next footage.
 */
async function play(track, at, v) {
  const run = track.runs.find((r) => Date.parse(r.end) > at);
  const note = $("after");
  note.replaceChildren();
  if (!run) {
    note.append(text("span", "", `${track.id}: no footage after ${label(at, v.zone, true)} in this view`));
    $("player").hidden = false;
    return;
  }
  const start = Math.max(at, Date.parse(run.start));
  const end = Math.min(v.to, start + 10 * 60e3, Date.parse(run.end));
  if (end <= start) return;
  const video = $("video");
  $("player").hidden = false;
  $("playing").textContent = `${track.id} from ${label(start, v.zone, true)} to ${label(end, v.zone, true)}`;
  video.dataset.start = iso(start);
  video.dataset.end = iso(end);
  video.onended = () => ended(track, end, v);
  video.src = await loadable(`${cameraPath(track.id)}clip.mp4?start=${iso(start)}&end=${iso(end)}`);
  await video.play();
}

function ended(track, end, v) {
  const note = $("after");
  const button = (caption, from) => {
    const b = text("button", "", caption);
    b.type = "button";
    b.addEventListener("click", () => play(track, from, v));
    note.append(b);
  };
  const run = track.runs.find((r) => Date.parse(r.start) <= end && Date.parse(r.end) > end + 1000);
  if (run && end < v.to) {
    button(`Play on from ${label(end, v.zone, true)}`, end);
    return;
  }
  const next = track.runs.find((r) => Date.parse(r.start) >= end);
  const gap = track.gaps.find((g) => Date.parse(g.end_time) > end && Date.parse(g.start_time) <= end + 1000);
  if (gap) {
    note.append(text("span", "gap", `Gap (${gap.cause}) from ${label(Date.parse(gap.start_time), v.zone, true)}`
      + ` to ${label(Date.parse(gap.end_time), v.zone, true)}. `));
  }
  if (next) {
    if (!gap) note.append(text("span", "gap", `No footage until ${label(Date.parse(next.start), v.zone, true)}. `));
    button(`Play on from ${label(Date.parse(next.start), v.zone, true)}`, Date.parse(next.start));
  } else {
    note.append(text("span", "", "The end of this camera's footage in this view."));
  }
}

// ---- events --------------------------------------------------------------------------------

function events(page, v) {
  const list = $("events");
  list.replaceChildren();
  for (const e of page.events) {
    const li = document.createElement("li");
    li.className = "severity-" + e.severity;
    const a = document.createElement("a");
    const at = Date.parse(e.created_at);
    const span = v.to - v.from;
    a.href = "#" + new URLSearchParams({ from: iso(at - span / 2), to: iso(at + span / 2), zone: v.zone });
    a.append(text("time", "", label(at, v.zone, true)), ` ${e.camera_id || "(all)"} ${e.kind.replaceAll("_", " ")}`);
    li.append(a);
    list.append(li);
  }
  if (!page.events.length) list.append(text("li", "", "none yet"));
}

// ---- the whole page ------------------------------------------------------------------------

/** Every camera's runs and gaps over the view: one request per page of cameras. */
async function allTimelines(v) {
  const all = [];
  let after = "";
  do {
    const page = await api(`api/timeline?from=${iso(v.from)}&to=${iso(v.to)}&after=${encodeURIComponent(after)}`);
    all.push(...page.cameras);
    after = page.next_after;
  } while (after);
  return all;
}

async function render() {
  const v = view();
  $("zone").value = v.zone;
  document.body.dataset.ready = "loading";
  $("preview").hidden = true;
  document.querySelectorAll("nav button").forEach((b) =>
    b.setAttribute("aria-pressed", String(WINDOWS[b.dataset.window] === v.to - v.from)));
  const fine = v.to - v.from < 2 * HOUR;
  $("status").textContent = `${label(v.from, v.zone, fine)} – ${label(v.to, v.zone, fine)} (${length(v.to - v.from)}, ${v.zone})`;
  const axis = $("axis");
  axis.replaceChildren();
  for (let i = 0; i <= 4; i++) axis.append(text("span", "", label(v.from + ((v.to - v.from) * i) / 4, v.zone, fine)));
  try {
    const [cameras, timelines, recent] = await Promise.all([
      api("api/cameras"),
      allTimelines(v),
      api(`api/events?before=latest&limit=${EVENTS}`),
    ]);
    const byId = new Map(timelines.map((t) => [t.camera, t]));
    $("cameras").replaceChildren(...cameras.filter((c) => byId.has(c.id)).map((c) => row(c, byId.get(c.id), v)));
    if (!cameras.length) $("cameras").append(text("li", "note", "No camera yet."));
    events(recent, v);
    requestAnimationFrame(() => {
      document.body.dataset.renderMs = String(Math.round(performance.now()));
      document.body.dataset.ready = "true";
    });
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
    location.hash = new URLSearchParams({ window: b.dataset.window, zone: view().zone }).toString();
  }));
$("day").addEventListener("change", (e) => {
  location.hash = new URLSearchParams({ day: e.target.value, zone: view().zone }).toString();
});
$("zone").addEventListener("change", (e) => {
  if (!validZone(e.target.value)) {
    $("status").textContent = "Unknown time zone: " + e.target.value;
    return;
  }
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
