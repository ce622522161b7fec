// Behaviour without inline scripts (the Content-Security-Policy forbids them).
document.addEventListener("change", function (event) {
  if (event.target.matches("[data-autosubmit]")) {
    event.target.form.submit();
  }
});
// Destructive actions ask first: <button data-confirm="确定要…？">.
document.addEventListener("click", function (event) {
  var el = event.target.closest("[data-confirm]");
  if (el && !window.confirm(el.getAttribute("data-confirm"))) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }
}, true);
// Pick a suggestion: <button data-fill="#input" data-value="…"> writes the value into the input.
document.addEventListener("click", function (event) {
  var el = event.target.closest("[data-fill]");
  if (!el) return;
  var input = document.querySelector(el.getAttribute("data-fill"));
  if (input) {
    input.value = el.getAttribute("data-value");
    var list = el.closest(".list-group");
    if (list) list.innerHTML = "";
  }
});
