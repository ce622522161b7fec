// The customer's survey page (no inline scripts: the Content-Security-Policy forbids them).
// Stars light up to the chosen one; the submit button is disabled once pressed (no double submit).
(function () {
  function paintStars(group) {
    var checked = group.querySelector("input:checked");
    var value = checked ? parseInt(checked.value, 10) : 0;
    group.querySelectorAll("label.survey-star").forEach(function (label, index) {
      label.classList.toggle("active", index < value);
      label.classList.toggle("btn-warning", index < value);
    });
  }
  document.addEventListener("change", function (event) {
    var group = event.target.closest(".survey-stars");
    if (group) paintStars(group);
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".survey-stars").forEach(paintStars);
    var form = document.getElementById("survey-form");
    if (form) {
      form.addEventListener("submit", function () {
        var button = document.getElementById("submit-survey");
        if (button) {
          setTimeout(function () { button.disabled = true; }, 0);
        }
      });
    }
  });
})();
