// Behaviour that must not live inline (the Content-Security-Policy forbids inline script):
// a button with data-confirm="问题" asks before its form is sent.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-confirm]");
  if (button && !window.confirm(button.getAttribute("data-confirm"))) {
    event.preventDefault();
  }
});
