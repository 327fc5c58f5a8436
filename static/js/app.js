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
