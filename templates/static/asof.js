/* 截至某日的制度汇编 (asof.html): keeps the table rows whose period (data-from ..
   data-until, ISO dates; an empty until means "to date") contains the chosen date.
   Without this script the page shows every version with its period. */
(function () {
  "use strict";
  var form = document.getElementById("asof-form");
  var input = document.getElementById("asof-date");
  var output = document.getElementById("asof-count");
  var table = document.getElementById("asof-table");
  if (!form || !input || !table) return;
  var rows = table.tBodies[0].rows;
  function update() {
    var day = input.value;
    var shown = 0, undated = 0;
    for (var i = 0; i < rows.length; i++) {
      var row = rows[i];
      var from = row.getAttribute("data-from"), until = row.getAttribute("data-until");
      var on = !!day && from <= day && (!until || day <= until);
      row.hidden = !on;
      row.classList.toggle("asof-now", on);
      row.cells[row.cells.length - 1].textContent = on ? "●" : "";
      if (on && row.hasAttribute("data-retired")) undated++;
      else if (on) shown++;
    }
    output.textContent = !day ? "请选择日期" : day + " 施行的制度 " + shown + " 项" +
      (undated ? "；另有 " + undated + " 项已废止但废止日期未载明" : "") + "。";
  }
  form.hidden = false;
  var note = document.getElementById("asof-static");
  if (note) note.hidden = true;
  var wanted = /^#(\d{4}-\d{2}-\d{2})$/.exec(location.hash);
  if (wanted) input.value = wanted[1];
  input.addEventListener("input", update);
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  update();
})();
