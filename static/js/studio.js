// The creator portal's small helpers: a preview of how the catalogue crops a chosen poster or backdrop.
(function () {
  "use strict";
  document.querySelectorAll("[data-crop-for]").forEach(function (box) {
    var input = document.getElementById(box.getAttribute("data-crop-for"));
    if (!input) return;
    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      if (!file) return;
      var img = box.querySelector("img") || box.appendChild(document.createElement("img"));
      img.alt = "";
      img.src = URL.createObjectURL(file);
    });
  });
})();
