// The embed offer's Copy button, as progressive enhancement: without JavaScript (or a clipboard)
// the code stays selectable in its box, and the button stays hidden.
(function () {
  "use strict";
  var button = document.querySelector("button[data-copy]");
  if (!button) return;
  var box = document.getElementById(button.getAttribute("data-copy"));
  var status = document.getElementById(button.getAttribute("aria-describedby"));
  if (!box || !status) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    function done(ok) {
      status.textContent = ok ? "Copied." : "Could not copy: select the code and copy it.";
    }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(box.value).then(function () { done(true); }, function () {
        box.select();
        done(false);
      });
    } else {
      box.select();
      var copied = false;
      try { copied = document.execCommand("copy"); } catch (e) { /* refused */ }
      done(copied);
    }
  });
})();
