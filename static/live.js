// New results while a page is open, as progressive enhancement: without JavaScript every page is
// complete as published. While the tab is visible, this fetches status.json (a few hundred bytes
// per seat) once a minute, bypassing caches; when a seat's state differs from what the page
// shows, or a declared result was corrected (its revision changed), a bar at the foot of the
// window names the seats, and the reader chooses to load them.
// Nothing on the page moves. The news is announced politely to screen readers, and the checks can
// be stopped from the bar or the footer (remembered in this browser).
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || !window.fetch || !window.JSON) return;
  var statusUrl = script.getAttribute("data-status");
  var homeUrl = script.getAttribute("data-home");
  // Once every seat has declared, only a correction can come: the page asks every ten minutes.
  var seconds = Number(window.SITEGEN_POLL_SECONDS) || Number(script.getAttribute("data-every")) || 60;
  var STORE = "sitegen-live-updates";
  var WORDS = { d: "declared", r: "recount", a: "awaited" };

  // What this page shows: slug -> [state letter, the declared result's revision] (every seat on the
  // overview, its own on a seat page): 'erewash:d:1f0c9a2e bolsover:a'.
  var shown = {};
  (script.getAttribute("data-states") || "").split(" ").forEach(function (item) {
    var parts = item.split(":");
    if (parts[0] && WORDS[parts[1]]) shown[parts[0]] = [parts[1], parts[2] || null];
  });
  var ownSeat = Object.keys(shown).length === 1 ? Object.keys(shown)[0] : null;
  var baseline = null;   // the states the page was taken to show, once the first status arrived
  var latest = null;     // the seats of the last status read
  var timer = null, lastPoll = 0, stopped = false;
  var reads = 0, heard = {};  // which read of status.json first brought each seat's news
  var banner, message, announcer, control;

  function storedOff() {
    try { return window.localStorage.getItem(STORE) === "off"; } catch (e) { return false; }
  }

  function store(on) {
    try { window.localStorage.setItem(STORE, on ? "on" : "off"); } catch (e) { /* private mode */ }
  }

  function make(tag, attributes, text) {
    var element = document.createElement(tag);
    Object.keys(attributes).forEach(function (name) { element.setAttribute(name, attributes[name]); });
    if (text) element.textContent = text;
    return element;
  }

  function build() {
    banner = make("aside", { "class": "live-banner", "aria-label": "New results", hidden: "" });
    message = make("p", {});
    var show = make("button", { type: "button", "class": "live-show" }, "Show");
    var stop = make("button", { type: "button" }, "Stop updates");
    var close = make("button", { type: "button", "aria-label": "Dismiss" }, "Dismiss");
    show.addEventListener("click", function () {
      var changed = banner.getAttribute("data-own") === "yes";
      if (ownSeat && !changed && homeUrl) window.location.href = homeUrl;
      else window.location.reload();
    });
    stop.addEventListener("click", function () { setLive(false); banner.hidden = true; });
    close.addEventListener("click", function () {
      // counted from now on: the bar comes back only for a seat that changes after this
      if (latest) latest.forEach(function (s) { baseline[s.slug] = seen(s); });
      banner.hidden = true;
    });
    banner.appendChild(message);
    banner.appendChild(show);
    banner.appendChild(stop);
    banner.appendChild(close);
    document.body.appendChild(banner);
    // Polite: read out when the reader pauses, never interrupting.
    announcer = make("div", { "class": "visually-hidden", role: "status" });
    (document.getElementById("main") || document.body).appendChild(announcer);
    var footer = document.querySelector(".site-footer .wrap");
    if (footer) {
      control = make("p", { "class": "live-control" });
      footer.appendChild(control);
    }
    renderControl();
  }

  function renderControl() {
    if (!control) return;
    var every = seconds === 60 ? "every minute" : seconds === 1 ? "every second" :
      seconds % 60 ? "every " + seconds + " seconds" : "every " + seconds / 60 + " minutes";
    control.textContent = stopped ? "Checking for new results is off." : "This page checks for new results " + every + ".";
    var toggle = make("button", { type: "button" }, stopped ? "Turn on" : "Turn off");
    toggle.addEventListener("click", function () { setLive(stopped); });
    control.appendChild(toggle);
  }

  function setLive(on) {
    stopped = !on;
    store(on);
    renderControl();
    if (on) schedule(0); else window.clearTimeout(timer);
  }

  function names(list) {
    if (list.length === 1) return list[0];
    return list.slice(0, -1).join(", ") + " and " + list[list.length - 1];
  }

  function link(seat) {
    var a = make("a", { href: (homeUrl || "") + seat.url }, seat.name);
    return a;
  }

  function report(changes) {
    var corrected = changes.filter(function (s) { return s.corrected; });
    var declared = changes.filter(function (s) { return s.status === "declared" && !s.corrected; });
    var others = changes.filter(function (s) { return s.status !== "declared"; });
    message.textContent = "";
    var spoken = [];
    function add(label, seats, suffix) {
      if (!seats.length) return;
      if (message.childNodes.length) message.appendChild(document.createTextNode(" "));
      message.appendChild(document.createTextNode(label));
      seats.forEach(function (seat, i) {
        if (i) message.appendChild(document.createTextNode(i === seats.length - 1 ? " and " : ", "));
        message.appendChild(link(seat));
        if (suffix) message.appendChild(document.createTextNode(suffix(seat)));
      });
      message.appendChild(document.createTextNode("."));
      spoken.push(label + names(seats.map(function (s) {
        return s.name + (suffix ? suffix(s) : "");
      })) + ".");
    }
    add(declared.length === 1 ? "1 new result: " : declared.length + " new results: ", declared);
    add("Corrected: ", corrected);
    add("Changed: ", others, function (s) { return " (" + (s.status === "recount" ? "recount under way" : "result awaited") + ")"; });
    banner.setAttribute("data-own", changes.some(function (s) { return s.slug === ownSeat; }) ? "yes" : "no");
    banner.hidden = false;
    announcer.textContent = spoken.join(" ") + " Use Show to load them.";
  }

  function seen(seat) {  // what a status.json seat says, as this page keeps it
    return [seat.status.charAt(0), seat.revision || null];
  }

  // A status that is not what the site writes (cut short by a proxy, an error page served as
  // JSON, a seat without a state) is passed over: it must never become what the page compares with.
  function readable(status) {
    return status && Array.isArray(status.seats) && status.seats.every(function (s) {
      return s && typeof s.slug === "string" && typeof s.name === "string" && typeof s.url === "string" &&
        (s.status === "declared" || s.status === "recount" || s.status === "awaited");
    });
  }

  function compare(status) {
    if (!readable(status)) return;
    var seats = status.seats;
    if (baseline === null) {
      baseline = {};
      seats.forEach(function (s) { baseline[s.slug] = seen(s); });
      Object.keys(shown).forEach(function (slug) { baseline[slug] = shown[slug]; });
    }
    latest = seats;
    var changes = seats.filter(function (s) {
      var was = baseline[s.slug];
      if (!was) return s.status !== "awaited";  // a seat new to the site, once it has news
      s.corrected = s.status === "declared" && was[0] === "d" && !!was[1] && !!s.revision && was[1] !== s.revision;
      return WORDS[was[0]] !== s.status || s.corrected;
    });
    // newest first: the news this page heard of last, then the later declaration time
    reads += 1;
    changes.forEach(function (s) { if (!heard[s.slug]) heard[s.slug] = reads; });
    changes.sort(function (a, b) {
      return (heard[b.slug] - heard[a.slug]) || String(b.declared_at || "").localeCompare(String(a.declared_at || ""));
    });
    if (changes.length) report(changes);
    else banner.hidden = true;
  }

  function poll() {
    lastPoll = Date.now();
    var url = statusUrl + (statusUrl.indexOf("?") < 0 ? "?" : "&") + "t=" + lastPoll;
    window.fetch(url, { cache: "no-store" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (status) { if (status) compare(status); })
      .catch(function () { /* offline for a moment: try again at the next interval */ })
      .then(function () { schedule(seconds * 1000); });
  }

  function schedule(delay) {
    window.clearTimeout(timer);
    if (stopped || document.visibilityState === "hidden") return;
    timer = window.setTimeout(poll, delay);
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible" && !stopped) {
      schedule(Math.max(0, seconds * 1000 - (Date.now() - lastPoll)));
    } else {
      window.clearTimeout(timer);
    }
  });

  stopped = storedOff();
  build();
  schedule(0);
})();
