/* Catalog pages (solutions, pilots, municipalities): small enhancements on top of htmx.
 * The filter form works without this file; it only keeps things tidy when htmx swaps the results. */
(function () {
  "use strict";

  var focusedId = null;

  // htmx keeps focus on elements that survive a swap; if the focused element was inside the swapped
  // region, put focus back on the element with the same id in the new content.
  document.addEventListener("htmx:beforeSwap", function () {
    var active = document.activeElement;
    focusedId = active && active.id ? active.id : null;
  });

  document.addEventListener("htmx:afterSettle", function () {
    if (!focusedId) {
      return;
    }
    var active = document.activeElement;
    var target = document.getElementById(focusedId);
    if (target && (!active || active === document.body)) {
      target.focus();
    }
    focusedId = null;
  });

  // Leave empty fields (an empty search box) out of the request, so the pushed URL stays short to share.
  document.addEventListener("htmx:configRequest", function (event) {
    var params = event.detail.parameters;
    Object.keys(params).forEach(function (key) {
      if (params[key] === "") {
        delete params[key];
      }
    });
  });
})();
