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

// The window form shows each kind's own terms only: the ticket for a festival, rental hours for a rent window,
// the edition size for a collector edition.
(function () {
  "use strict";
  var kind = document.getElementById("id_window_type");
  if (!kind) return;
  var only = { festival_ticketed: ["festival"], rental_hours: ["tvod"], edition_size: ["collector"] };
  function sync() {
    Object.keys(only).forEach(function (name) {
      var input = document.getElementById("id_" + name);
      if (input) input.closest("p").hidden = only[name].indexOf(kind.value) < 0;
    });
  }
  kind.addEventListener("change", sync);
  sync();
})();
