// Signature pad: <canvas data-signature-pad data-target="#id_signature"> draws with mouse, pen or finger;
// the drawing is written to the hidden input as a PNG data URL when the form is submitted.
// No inline script (the Content-Security-Policy forbids it); no library needed.
(function () {
  function setup(canvas) {
    var ctx = canvas.getContext("2d");
    var target = document.querySelector(canvas.getAttribute("data-target"));
    var drawing = false, drawn = false, last = null;

    function resize() {
      var ratio = window.devicePixelRatio || 1;
      var rect = canvas.getBoundingClientRect();
      canvas.width = rect.width * ratio;
      canvas.height = rect.height * ratio;
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.lineWidth = 2.5;
      ctx.lineCap = "round";
      ctx.lineJoin = "round";
      ctx.strokeStyle = "#1d273b";
      drawn = false;
    }
    function point(event) {
      var rect = canvas.getBoundingClientRect();
      return { x: event.clientX - rect.left, y: event.clientY - rect.top };
    }
    canvas.addEventListener("pointerdown", function (event) {
      drawing = true;
      last = point(event);
      canvas.setPointerCapture(event.pointerId);
      event.preventDefault();
    });
    canvas.addEventListener("pointermove", function (event) {
      if (!drawing) return;
      var p = point(event);
      ctx.beginPath();
      ctx.moveTo(last.x, last.y);
      ctx.lineTo(p.x, p.y);
      ctx.stroke();
      last = p;
      drawn = true;
      event.preventDefault();
    });
    ["pointerup", "pointercancel", "pointerleave"].forEach(function (name) {
      canvas.addEventListener(name, function () { drawing = false; });
    });
    var clear = document.querySelector(canvas.getAttribute("data-clear"));
    if (clear) {
      clear.addEventListener("click", function (event) {
        event.preventDefault();
        ctx.clearRect(0, 0, canvas.width, canvas.height);
        drawn = false;
        if (target) target.value = "";
      });
    }
    if (canvas.form || canvas.closest("form")) {
      (canvas.form || canvas.closest("form")).addEventListener("submit", function () {
        if (target) target.value = drawn ? canvas.toDataURL("image/png") : "";
      });
    }
    resize();
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("canvas[data-signature-pad]").forEach(setup);
  });
})();
