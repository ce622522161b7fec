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
    // tell listeners (e.g. the intake's customer profile: hx-trigger="filled from:#id_customer")
    input.dispatchEvent(new CustomEvent("filled", { bubbles: true }));
    var list = el.closest(".list-group");
    if (list) list.innerHTML = "";
  }
});
// Copy a link to the clipboard: <button data-copy="#input">; falls back to selecting the text.
document.addEventListener("click", function (event) {
  var el = event.target.closest("[data-copy]");
  if (!el) return;
  event.preventDefault();
  var input = document.querySelector(el.getAttribute("data-copy"));
  if (!input) return;
  var done = function () { el.textContent = el.getAttribute("data-copied") || "已复制"; };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(input.value).then(done, function () { input.select(); });
  } else {
    input.select();
    try { document.execCommand("copy"); done(); } catch (e) { /* selected: the user copies */ }
  }
});
// Phones: filter panels start folded (the list comes first) unless a filter is in use.
document.addEventListener("DOMContentLoaded", function () {
  if (window.innerWidth >= 600) return;
  document.querySelectorAll("details[data-collapse-mobile]").forEach(function (panel) {
    var used = Array.prototype.some.call(panel.querySelectorAll("input, select"), function (el) {
      return el.type !== "hidden" && el.type !== "submit" && (el.multiple ? el.selectedOptions.length : el.value);
    });
    if (!used) panel.removeAttribute("open");
  });
});
