/* "Find your municipality" (templates/municipalities/_find_form.html): the search field becomes a combobox
 * with a list of suggestions, following the WAI-ARIA 1.2 combobox pattern (list autocomplete, no automatic
 * selection). Without this file the form still submits to the results page, where every match has its own
 * "This is my municipality" button.
 *
 * htmx fetches the suggestions (hx-get on the field fills the listbox); the server then fires
 * "municipality-suggestions" with the text for the live region. This file adds the roles and states, the
 * keyboard (Down/Up move, Enter chooses, Escape closes or clears, Alt+Down opens) and the mouse.
 */
(function () {
  "use strict";

  if (window.municipalityFindLoaded) {
    return; // the include may appear more than once on a page
  }
  window.municipalityFindLoaded = true;

  var MIN_LENGTH = 2;

  function setup(root) {
    var input = root.querySelector("[data-find-input]");
    var listbox = root.querySelector("[data-find-listbox]");
    var status = root.querySelector("[data-find-status]");
    var chooseForm = root.querySelector("[data-find-choose]");
    if (!input || !listbox || !status || !chooseForm || root.hasAttribute("data-find-ready")) {
      return;
    }
    root.setAttribute("data-find-ready", "");
    var searchForm = input.form;
    var active = -1;

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);

    function options() {
      return Array.prototype.slice.call(listbox.querySelectorAll('[role="option"]'));
    }

    function isOpen() {
      return input.getAttribute("aria-expanded") === "true";
    }

    function setActive(index) {
      var all = options();
      active = index >= 0 && index < all.length ? index : -1;
      all.forEach(function (option, position) {
        var selected = position === active;
        option.setAttribute("aria-selected", selected ? "true" : "false");
        option.classList.toggle("is-active", selected);
      });
      if (active >= 0) {
        input.setAttribute("aria-activedescendant", all[active].id);
        all[active].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function open() {
      if (!options().length) {
        return false;
      }
      listbox.hidden = false;
      input.setAttribute("aria-expanded", "true");
      return true;
    }

    function close() {
      setActive(-1);
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
    }

    function pick(option) {
      close();
      if (option.hasAttribute("data-find-all")) {
        // "Show all matches": the results page, as the plain form would.
        if (searchForm.requestSubmit) {
          searchForm.requestSubmit();
        } else {
          searchForm.submit();
        }
        return;
      }
      var name = option.querySelector(".combobox__name");
      input.value = name ? name.textContent : input.value;
      if (root.getAttribute("data-find-action") === "open") {
        window.location.assign(option.getAttribute("data-url"));
        return;
      }
      chooseForm.elements.slug.value = option.getAttribute("data-slug");
      chooseForm.submit();
    }

    input.addEventListener("keydown", function (event) {
      var count = options().length;
      switch (event.key) {
        case "ArrowDown":
          event.preventDefault();
          if (event.altKey) {
            open();
          } else if (isOpen()) {
            setActive(active + 1 < count ? active + 1 : 0);
          } else if (open()) {
            setActive(0);
          }
          break;
        case "ArrowUp":
          event.preventDefault();
          if (event.altKey) {
            close();
          } else if (isOpen()) {
            setActive(active > 0 ? active - 1 : count - 1);
          } else if (open()) {
            setActive(count - 1);
          }
          break;
        case "Enter":
          if (isOpen() && active >= 0) {
            event.preventDefault();
            pick(options()[active]);
          }
          // Otherwise the form submits: the results page.
          break;
        case "Escape":
          if (isOpen()) {
            event.preventDefault();
            close();
          } else if (input.value) {
            event.preventDefault();
            input.value = "";
            listbox.innerHTML = "";
            status.textContent = "";
          }
          break;
        case "Home":
        case "End":
        case "ArrowLeft":
        case "ArrowRight":
          // The caret moves in the text again.
          setActive(-1);
          break;
        default:
          break;
      }
    });

    input.addEventListener("input", function () {
      setActive(-1);
      if (input.value.trim().length < MIN_LENGTH) {
        listbox.innerHTML = "";
        status.textContent = "";
        close();
      }
    });

    input.addEventListener("blur", close);

    // Keep the focus in the field while the mouse picks a suggestion.
    listbox.addEventListener("mousedown", function (event) {
      event.preventDefault();
    });
    listbox.addEventListener("click", function (event) {
      var option = event.target.closest('[role="option"]');
      if (option) {
        pick(option);
      }
    });

    // Sent by the server with the suggestions (HX-Trigger-After-Swap), once they are in the listbox.
    root.addEventListener("municipality-suggestions", function (event) {
      options().forEach(function (option, position) {
        option.id = listbox.id + "-" + position;
      });
      active = -1;
      if (input.value.trim().length < MIN_LENGTH) {
        close();
        return;
      }
      if (document.activeElement === input && open()) {
        setActive(-1);
      } else {
        close();
      }
      status.textContent = (event.detail && event.detail.status) || "";
    });
  }

  function setupAll() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-municipality-find]"), setup);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setupAll);
  } else {
    setupAll();
  }
})();
