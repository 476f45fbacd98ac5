// The preview's client, added to every page the preview serves, before livereload.js loads: a
// livereload.js plugin (any window.LiveReloadPlugin* is registered) that takes every reload message
// itself. A tab reloads only when the message names its own page (or '*'), keeping its scroll
// position; a stylesheet is swapped in place without a reload; any other message leaves the tab alone.
(function () {
  var page = location.pathname, key = "sitegen-scroll";
  try {
    var kept = JSON.parse(sessionStorage.getItem(key) || "null");
    if (kept && kept.page === page) {
      sessionStorage.removeItem(key);
      addEventListener("load", function () { scrollTo(kept.x, kept.y); });
    }
  } catch (e) {}
  function reload() {  // everything anew (the problems panel changed, or the templates)
    try { sessionStorage.setItem(key, JSON.stringify({page: page, x: scrollX, y: scrollY})); } catch (e) {}
    location.reload();
  }
  function refresh() {  // this page's content changed: swap its body in place, where the reader is
    var x = scrollX, y = scrollY;
    fetch(location.href, {cache: "no-store"}).then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.text();
    }).then(function (html) {
      var next = new DOMParser().parseFromString(html, "text/html");
      document.title = next.title;
      document.body.replaceWith(next.body);
      document.querySelectorAll("head script[src]").forEach(function (old) {
        if (/livereload/.test(old.src)) return;
        var again = document.createElement("script");
        again.src = old.src;
        old.replaceWith(again);
      });
      scrollTo(x, y);
    }).catch(reload);
  }
  function Plugin() {}
  Plugin.identifier = "sitegen";
  Plugin.version = "1";
  Plugin.prototype.reload = function (path) {
    // only the preview's own addresses: a path on this host ('/x/', '/style.css'), never a URL
    if (typeof path !== "string" || (path !== "*" && !/^\/(?![\/\\])/.test(path))) return true;
    if (/\.css$/.test(path)) {
      document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) { link.href = path; });
    } else if (path === "*") {
      reload();
    } else if (path === page) {
      refresh();
    }
    return true;
  };
  window.LiveReloadPluginSitegen = Plugin;
})();