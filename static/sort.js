// Sortable tables, as progressive enhancement: without JavaScript a table keeps its own order.
// Each header of a table marked data-sortable becomes a button; cells may give a data-sort value.
(function () {
  "use strict";

  function value(row, index) {
    var cell = row.cells[index];
    if (!cell) return "";
    if (cell.hasAttribute("data-sort")) return cell.getAttribute("data-sort");
    var text = cell.textContent.trim();
    if (!cell.classList.contains("num")) return text;
    var number = /^[0-9][0-9,]*(\.[0-9]+)?/.exec(text);  // '3,554 (8.4%)' sorts as 3554, '59.6%' as 59.6
    return number ? number[0].replace(/,/g, "") : "";     // '–' (no result yet) sorts last
  }

  function sortBy(table, index, header) {
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    var headers = table.tHead.rows[0].cells;
    for (var i = 0; i < headers.length; i++) headers[i].removeAttribute("aria-sort");
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = value(a, index), y = value(b, index);
      if (x === "" || y === "") return (x === "") - (y === "");  // blanks (awaited) last
      var nx = Number(x), ny = Number(y);
      var order = isNaN(nx) || isNaN(ny) ? x.localeCompare(y, "en-GB") : nx - ny;
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }

  var tables = document.querySelectorAll("table[data-sortable]");
  Array.prototype.forEach.call(tables, function (table) {
    var headers = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(headers, function (header, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort-button";
      while (header.firstChild) button.appendChild(header.firstChild);  // its words, short and long
      header.appendChild(button);
      button.addEventListener("click", function () { sortBy(table, index, header); });
    });
    table.classList.add("is-sortable");
  });
})();
