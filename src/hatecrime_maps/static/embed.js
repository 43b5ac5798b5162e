/* hatecrime-maps embed helper, for the page that embeds a map.
   Host this file on your own site and load it with
     <script src="hatecrime-maps-embed.js" defer></script>
   so it runs under a policy of script-src 'self'. It sets the height of every
   <iframe class="hatecrime-map"> to the height its map page reports, so the
   whole page shows with no scroll bar of its own. A message is taken only from
   the frame it names, whatever its origin: a map page says how tall it is,
   nothing more. As it starts it asks each frame for its height, in case a map
   page said it before this script was listening. */
(function () {
  "use strict";
  window.addEventListener("message", function (event) {
    var message = event.data;
    if (!message || message.type !== "hatecrime-maps:height") return;
    var height = Number(message.height);
    if (!isFinite(height) || height < 100 || height > 100000) return;
    var frames = document.querySelectorAll("iframe.hatecrime-map");
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow === event.source) frames[i].style.height = height + "px";
    }
  });
  var frames = document.querySelectorAll("iframe.hatecrime-map");
  for (var i = 0; i < frames.length; i++) {
    frames[i].contentWindow.postMessage({ type: "hatecrime-maps:ask-height" }, "*");
  }
})();
