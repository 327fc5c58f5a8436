// Behaviour the templates used to write inline (onclick, onchange): the Content-Security-Policy
// allows scripts from this site only, so it lives here, bound by data- attributes.
document.addEventListener("change", function (event) {
  if (event.target.matches("[data-autosubmit]")) {
    event.target.form.submit();
  }
});
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
// The current page in the navigation (#14): the link whose path is the longest prefix of this
// page's path is marked aria-current="page"; a dropdown holding it is marked too.
(function () {
  var here = window.location.pathname;
  var best = null;
  var bestLength = 0;
  document.querySelectorAll("#mainnav a[href^='/']").forEach(function (link) {
    var path = link.getAttribute("href").split("?")[0];
    if (here.indexOf(path) === 0 && path.length > bestLength) {
      best = link;
      bestLength = path.length;
    }
  });
  if (best) {
    best.setAttribute("aria-current", "page");
    best.classList.add("active");
    var menu = best.closest(".dropdown");
    if (menu && menu.querySelector(".dropdown-toggle")) {
      menu.querySelector(".dropdown-toggle").classList.add("active-parent");
    }
  }
})();
