// Small enhancements only: every page works without this file.
(function () {
  "use strict";
  // 政策评价: a new captcha image without reloading the page (and losing what was typed).
  var refresh = document.getElementById("captcha-refresh");
  if (refresh) {
    refresh.hidden = false;
    refresh.addEventListener("click", function () {
      fetch("/captcha/new.json", { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
        .then(function (c) {
          document.getElementById("captcha-img").src = c.image;
          document.getElementById("captcha-token").value = c.token;
          document.getElementById("captcha-input").value = "";
        })
        .catch(function () { window.location.reload(); });
    });
  }
  // Print buttons (calculator).
  document.querySelectorAll("[data-print]").forEach(function (b) {
    b.hidden = false;
    b.addEventListener("click", function () { window.print(); });
  });
  // A link to an item opens the folded table of contents no more than needed: just scroll smoothly.
  if (location.hash && /^#(item|a|c)-\d+$/.test(location.hash)) {
    var el = document.getElementById(location.hash.slice(1));
    if (el) { el.scrollIntoView({ block: "center" }); }
  }
})();
