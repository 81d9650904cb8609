/* Keeps what a vendor types into a long form in this browser until the server confirms the save.
 *
 * If the request dies on the way (network gone, server restarting, database down, session expired),
 * nothing typed is lost: back on the form, a notice offers to put the unsaved input back. The server
 * tells this script which save succeeded (data-draft-saved on the form, the token this script sent in
 * the hidden field "_draft"), and only then is the copy dropped. Files are never kept.
 * Works on forms with data-draft-key; without JavaScript the form works as before. */
(function () {
  "use strict";

  var PREFIX = "scm-draft:";
  var store;
  try {
    store = window.localStorage;
    store.setItem(PREFIX + "probe", "1");
    store.removeItem(PREFIX + "probe");
  } catch (error) {
    return; // storage disabled (private mode, policy): the form still works, only without the copy
  }

  function read(key) {
    try {
      return JSON.parse(store.getItem(key) || "null");
    } catch (error) {
      return null;
    }
  }

  function values(form) {
    var result = {};
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || field.name === "csrfmiddlewaretoken" || field.name === "_draft") {
        return;
      }
      if (field.type === "file" || field.type === "submit" || field.type === "button") {
        return;
      }
      if ((field.type === "checkbox" || field.type === "radio") && !field.checked) {
        return;
      }
      if (field.tagName === "SELECT" && field.multiple) {
        Array.prototype.forEach.call(field.selectedOptions, function (option) {
          (result[field.name] = result[field.name] || []).push(option.value);
        });
        return;
      }
      (result[field.name] = result[field.name] || []).push(field.value);
    });
    return result;
  }

  function apply(form, data) {
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || !(field.name in data) && field.type !== "checkbox") {
        return;
      }
      var wanted = data[field.name] || [];
      if (field.type === "checkbox" || field.type === "radio") {
        field.checked = wanted.indexOf(field.value) !== -1;
      } else if (field.tagName === "SELECT" && field.multiple) {
        Array.prototype.forEach.call(field.options, function (option) {
          option.selected = wanted.indexOf(option.value) !== -1;
        });
      } else if (field.type !== "file") {
        field.value = wanted[0] || "";
      }
    });
  }

  // A save the server confirmed: drop the copy that belonged to it, whichever page it was typed on.
  function forgetSaved(token) {
    if (!token) {
      return;
    }
    for (var index = store.length - 1; index >= 0; index -= 1) {
      var key = store.key(index);
      if (key && key.indexOf(PREFIX) === 0) {
        var draft = read(key);
        if (draft && draft.token === token) {
          store.removeItem(key);
        }
      }
    }
  }

  function offer(form, key, draft) {
    var notice = document.createElement("div");
    notice.className = "notice notice--warning draft-notice";
    notice.setAttribute("role", "status");
    var text = document.createElement("p");
    text.textContent = form.getAttribute("data-draft-found");
    var restore = document.createElement("button");
    restore.type = "button";
    restore.className = "button";
    restore.textContent = form.getAttribute("data-draft-restore");
    var discard = document.createElement("button");
    discard.type = "button";
    discard.className = "button button--secondary";
    discard.textContent = form.getAttribute("data-draft-discard");
    restore.addEventListener("click", function () {
      apply(form, draft.values);
      notice.remove();
      var first = form.querySelector("input:not([type=hidden]), textarea, select");
      if (first) {
        first.focus();
      }
    });
    discard.addEventListener("click", function () {
      store.removeItem(key);
      notice.remove();
    });
    notice.appendChild(text);
    notice.appendChild(restore);
    notice.appendChild(document.createTextNode(" "));
    notice.appendChild(discard);
    form.parentNode.insertBefore(notice, form);
  }

  function same(a, b) {
    return JSON.stringify(a) === JSON.stringify(b);
  }

  Array.prototype.forEach.call(document.querySelectorAll("form[data-draft-key]"), function (form) {
    var key = PREFIX + form.getAttribute("data-draft-key");
    forgetSaved(form.getAttribute("data-draft-saved"));
    var token = Date.now().toString(36) + Math.random().toString(36).slice(2, 10);
    var hidden = document.createElement("input");
    hidden.type = "hidden";
    hidden.name = "_draft";
    hidden.value = token;
    form.appendChild(hidden);

    var loaded = values(form);
    var draft = read(key);
    if (draft && draft.values && !same(draft.values, loaded)) {
      offer(form, key, draft);
    } else if (draft) {
      store.removeItem(key);
    }

    var timer = null;
    function keep() {
      timer = null;
      var now = values(form);
      if (same(now, loaded)) {
        return; // nothing typed yet: keep an older copy until the person decides about it
      }
      try {
        store.setItem(key, JSON.stringify({ token: token, saved: Date.now(), values: now }));
      } catch (error) {
        // storage full: nothing to do, the form itself still works
      }
    }
    form.addEventListener("input", function () {
      if (timer === null) {
        timer = window.setTimeout(keep, 400);
      }
    });
    form.addEventListener("change", keep);
    form.addEventListener("submit", keep);
  });
})();
