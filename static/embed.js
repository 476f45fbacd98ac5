// Tells the page that embeds this card how tall it is, so that its frame fits the card exactly
// (the embed code listens for this message). Without it, the frame keeps the height it was given.
(function () {
  "use strict";
  if (window.parent === window || !window.parent.postMessage) return;
  var last = 0;
  function send() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    window.parent.postMessage({ type: "sitegen:height", height: height }, "*");
  }
  if (window.ResizeObserver) new ResizeObserver(send).observe(document.documentElement);
  window.addEventListener("load", send);
  window.addEventListener("resize", send);
  send();
})();
