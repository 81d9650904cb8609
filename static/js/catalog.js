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

  // The partial carries every facet count in one out-of-band element (includes/_facet_counts_oob.html):
  // data-facet-counts="category=12,3,0;size=4,1". Copy the numbers into the count next to each checkbox.
  function applyFacetCounts(holder) {
    var data = holder && holder.getAttribute("data-facet-counts");
    if (!data) {
      return;
    }
    data.split(";").forEach(function (part) {
      var pair = part.split("=");
      var name = pair[0];
      (pair[1] || "").split(",").forEach(function (count, index) {
        var span = document.getElementById("facet-" + name + "-" + index + "-count");
        if (span) {
          span.textContent = "(" + count + ")";
        }
      });
    });
    holder.removeAttribute("data-facet-counts");
  }

  document.addEventListener("htmx:afterSettle", function () {
    applyFacetCounts(document.getElementById("facet-counts"));
  });
  // A page without the placeholder still gets its counts, from the element htmx could not place.
  document.addEventListener("htmx:oobErrorNoTarget", function (event) {
    var content = event.detail && event.detail.content;
    if (content && content.id === "facet-counts") {
      applyFacetCounts(content);
    }
  });

  // The filter panel (templates/catalog/base.html) is a <details>, closed so that a phone shows the results
  // first. Wide screens show its content anyway (catalog.css); opening it there too keeps what assistive
  // technology reports in step with what is shown. A phone turned sideways stays below the breakpoint.
  var wideScreen = window.matchMedia("(min-width: 48.01rem)");
  function openFiltersOnWideScreens() {
    var panel = document.getElementById("catalog-filters");
    if (panel && wideScreen.matches) {
      panel.open = true;
    }
  }
  openFiltersOnWideScreens();
  wideScreen.addEventListener("change", openFiltersOnWideScreens);

  // Leave empty fields (an empty search box) out of the request, so the pushed URL stays short to share.
  document.addEventListener("htmx:configRequest", function (event) {
    var params = event.detail.parameters;
    Object.keys(params).forEach(function (key) {
      if (params[key] === "") {
        delete params[key];
      }
    });
  });

  // The download links under the results (opendata/_downloads.html) sit outside the swapped part: after
  // htmx changed the filters (and the address bar), give them the same query, without page and lang.
  function updateDownloads() {
    var query = new URLSearchParams(window.location.search);
    query.delete("page");
    query.delete("lang");
    var text = query.toString();
    document.querySelectorAll("a[data-download]").forEach(function (link) {
      link.href = link.getAttribute("data-download") + (text ? "?" + text : "");
    });
  }
  document.addEventListener("htmx:pushedIntoHistory", updateDownloads);
  document.addEventListener("htmx:afterSettle", updateDownloads);
})();
