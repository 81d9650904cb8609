// Small progressive enhancements for every page. Everything works without this file.
(function () {
  "use strict";
  // Lets the stylesheet tell "JavaScript available" from "not" (e.g. to hide a submit button htmx makes redundant).
  document.documentElement.classList.add("js");
})();
