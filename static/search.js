// Find your seat: the box at the top of every page as an ARIA combobox (the list-autocomplete
// pattern of the WAI-ARIA Authoring Practices). Without JavaScript the box submits to find/, which
// lists every seat with its places. This reads the static index in find/ (sitegen/site/find.py),
// a few KB per lookup: a file per first letter of a name, one per postcode area (its districts and
// sectors) and one per postcode district (its postcodes). Nothing is sent anywhere else.
(function () {
  "use strict";

  var script = document.currentScript;
  var form = document.querySelector("form.finder");
  if (!script || !form || !window.fetch || !window.JSON || !"".normalize) return;
  var base = script.getAttribute("data-index");
  var home = script.getAttribute("data-home");
  var input = form.querySelector("input");
  var list = document.createElement("ul");
  var status = document.createElement("p");
  var SMALL = { and: 1, the: 1, of: 1, upon: 1, on: 1, "in": 1, "with": 1, de: 1, le: 1, la: 1 };
  var FULL = /^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$/;
  var PART = /^([A-Z]{1,2}[0-9][A-Z0-9]?)(?: ?([0-9]))?$/;
  var files = {}, options = [], active = -1, asked = 0, timer = null;

  list.id = "finder-options";
  list.className = "finder-options";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "Places and constituencies found");
  list.hidden = true;
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  form.appendChild(list);
  form.appendChild(status);
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", list.id);

  function get(name) {
    if (!files[name]) {
      files[name] = fetch(base + name).then(function (r) {
        if (!r.ok) throw new Error(name + ": " + r.status);
        return r.json();
      });
      files[name].catch(function () { delete files[name]; });  // asked again next time
    }
    return files[name];
  }

  function fold(text) {
    return text.replace(/&/g, " and ").normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^a-z0-9]+/g, " ").trim();
  }

  function seatOption(seats, n, detail) {
    var seat = seats[n];
    return { href: home + seat[0] + "/", main: seat[1], detail: detail || seat[2] };
  }

  // A postcode, whole or in part: the seats it touches, or null when the text is not one.
  function byPostcode(index, text) {
    var code = text.toUpperCase().replace(/\s+/g, " ").trim();
    var full = FULL.exec(code), part = full ? null : PART.exec(code);
    if (!full && !part) return null;
    var outward = full ? full[1] : part[1];
    var area = /^[A-Z]+/.exec(outward)[0];
    if (index.areas.indexOf(area) < 0) return Promise.resolve({ none: code + " is not a postcode in this area" });
    return get("p/" + area + ".json").then(function (areaFile) {
      if (full) {
        var whole = outward + " " + full[2];
        if (!areaFile.d[outward]) return { none: whole + " is not a postcode in this area" };
        return get("p/" + outward + ".json").then(function (district) {
          var n = district[full[2]];
          if (n === undefined) {
            return { none: whole + " is not in our list of this area’s postcodes; its first half, " + outward +
              ", is in " + areaFile.d[outward].length + (areaFile.d[outward].length === 1 ? " constituency" : " constituencies"),
              found: areaFile.d[outward].map(function (m) { return seatOption(index.seats, m, "Part of " + outward); }) };
          }
          return { found: [seatOption(index.seats, n, whole + " is here · " + index.seats[n][2])] };
        });
      }
      // 'DE56' is the district DE56, or DE5's sector 6 when there is no DE56
      var key = part[2] ? outward + " " + part[2] : outward, table = part[2] ? areaFile.s : areaFile.d;
      if (!part[2] && !table[key] && outward.length > 2) {
        key = outward.slice(0, -1) + " " + outward.slice(-1);
        table = areaFile.s;
      }
      var seats = table[key];
      if (!seats) return { none: key + " is not a postcode district or sector in this area" };
      return { found: seats.map(function (n) {
        return seatOption(index.seats, n, (seats.length === 1 ? "All of " : "Part of ") + key);
      }) };
    });
  }

  function byName(index, text) {
    var words = fold(text).split(" ").filter(Boolean);
    var first = words.filter(function (w) { return !SMALL[w]; })[0];
    if (!first || index.letters.indexOf(first[0]) < 0) return Promise.resolve({ found: [] });
    return get("n-" + first[0] + ".json").then(function (entries) {
      var found = [];
      entries.forEach(function (entry) {
        var name = " " + fold(entry[0]);
        var every = words.every(function (w) { return name.indexOf(" " + w) >= 0; });
        if (!every) return;
        var rank = name.indexOf(" " + words.join(" ")) === 0 ? 0 : 1;
        var kind = entry[1];
        entry.slice(3).forEach(function (n) {
          var detail = kind === 0 ? index.seats[n][2] : entry[2] + ", in " + index.seats[n][1];
          var option = seatOption(index.seats, n, detail);
          if (kind) option.main = entry[0];
          option.rank = [rank, kind, entry[0]];
          found.push(option);
        });
      });
      found.sort(function (a, b) {
        return a.rank[0] - b.rank[0] || a.rank[1] - b.rank[1] || (a.rank[2] < b.rank[2] ? -1 : a.rank[2] > b.rank[2] ? 1 : 0);
      });
      return { found: found.slice(0, 10) };
    });
  }

  function choose(n) {
    active = n;
    var items = list.children;
    for (var i = 0; i < items.length; i++) items[i].setAttribute("aria-selected", i === n ? "true" : "false");
    if (n >= 0) {
      input.setAttribute("aria-activedescendant", items[n].id);
      if (items[n].scrollIntoView) items[n].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function open(yes) {
    list.hidden = !yes;
    input.setAttribute("aria-expanded", yes ? "true" : "false");
    if (!yes) choose(-1);
  }

  function show(result) {
    options = result.found || [];
    list.textContent = "";
    options.forEach(function (option, i) {
      var item = document.createElement("li"), main = document.createElement("span"), detail = document.createElement("span");
      item.id = "finder-option-" + i;
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      main.className = "finder-main";
      main.textContent = option.main;
      detail.className = "finder-detail";
      detail.textContent = option.detail;
      item.appendChild(main);
      item.appendChild(document.createTextNode(" "));
      item.appendChild(detail);
      item.addEventListener("mousedown", function (event) { event.preventDefault(); });
      item.addEventListener("click", function () { go(i); });
      list.appendChild(item);
    });
    open(options.length > 0);
    var count = options.length === 1 ? "1 result" : options.length + " results";
    status.textContent = [result.none ? result.none + "." : "", options.length
      ? count + ": use the up and down arrows to choose, and Enter to open."
      : result.none ? "" : "Nothing found: try a postcode, a town or ward, or a name."].join(" ").trim();
  }

  function search() {
    var text = input.value, mine = ++asked;
    if (!text.trim()) { show({ found: [] }); status.textContent = ""; return; }
    get("index.json").then(function (index) {
      return byPostcode(index, text) || byName(index, text);
    }).then(function (result) {
      if (mine === asked) show(result);
    }, function () {
      if (mine === asked) status.textContent = "The search could not be loaded; press Enter for the list of every constituency.";
    });
  }

  function go(n) {
    if (options[n]) window.location.href = options[n].href;
  }

  input.addEventListener("input", function () {
    status.textContent = "";  // said again once this text's results are in
    clearTimeout(timer);
    timer = setTimeout(search, 120);
  });
  input.addEventListener("keydown", function (event) {
    var n = options.length;
    if (event.key === "ArrowDown" && n) {
      event.preventDefault();
      if (list.hidden) open(true);
      choose((active + 1) % n);
    } else if (event.key === "ArrowUp" && n) {
      event.preventDefault();
      if (list.hidden) open(true);
      choose(active <= 0 ? n - 1 : active - 1);
    } else if (event.key === "Escape") {
      if (!list.hidden) open(false); else input.value = "";
    } else if (event.key === "Enter" && !list.hidden && (active >= 0 || n === 1)) {
      event.preventDefault();
      go(active >= 0 ? active : 0);
    }
  });
  input.addEventListener("blur", function () { open(false); });
  input.addEventListener("focus", function () { if (options.length) open(true); });

  // find/?q=... (the box submitted before this script had run, or a shared link): search at once
  var asked_for = /[?&]q=([^&]*)/.exec(window.location.search);
  if (asked_for && !input.value) {
    try { input.value = decodeURIComponent(asked_for[1].replace(/\+/g, " ")); } catch (e) { /* bad escape */ }
  }
  if (input.value) search();
})();
