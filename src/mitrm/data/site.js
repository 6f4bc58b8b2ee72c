// mitrm report: sortable and filterable tables. Shipped with mitrm, no network needed.
"use strict";
(function () {
  function cellValue(row, index) {
    var cell = row.cells[index];
    var text = cell ? cell.textContent.trim() : "";
    var number = text.replace(/[,\s%]|[A-Z]{3}$/g, "");
    if (number !== "" && !isNaN(Number(number))) {
      return { n: Number(number), t: text };
    }
    return { n: null, t: text.toLowerCase() };
  }

  function compare(a, b) {
    if (a.n !== null && b.n !== null) {
      return a.n - b.n;
    }
    if (a.n !== null) {
      return -1;
    }
    if (b.n !== null) {
      return 1;
    }
    return a.t < b.t ? -1 : a.t > b.t ? 1 : 0;
  }

  function sortBy(table, index, header) {
    var body = table.tBodies[0];
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (r1, r2) {
      var order = compare(cellValue(r1, index), cellValue(r2, index));
      return ascending ? order : -order;
    });
    rows.forEach(function (row) {
      body.appendChild(row);
    });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
      th.removeAttribute("aria-sort");
    });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }

  function filterRows(table, query) {
    var words = query.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
      var text = row.textContent.toLowerCase();
      var match = words.every(function (word) {
        return text.indexOf(word) !== -1;
      });
      row.hidden = !match;
      shown += match ? 1 : 0;
    });
    return shown;
  }

  function enhance(table) {
    if (!table.tHead || !table.tBodies.length) {
      return;
    }
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      while (th.firstChild) {
        button.appendChild(th.firstChild);
      }
      th.appendChild(button);
      button.addEventListener("click", function () {
        sortBy(table, index, th);
      });
    });
    var total = table.tBodies[0].rows.length;
    if (total < 5 || !table.tBodies[0].querySelector("a")) {
      return;
    }
    var box = document.createElement("div");
    box.className = "filter";
    var input = document.createElement("input");
    input.type = "search";
    input.placeholder = document.documentElement.lang.indexOf("zh") === 0 ? "筛选…" : "Filter…";
    input.setAttribute("aria-label", input.placeholder);
    var count = document.createElement("span");
    count.className = "count";
    count.textContent = total + " / " + total;
    input.addEventListener("input", function () {
      count.textContent = filterRows(table, input.value) + " / " + total;
    });
    box.appendChild(input);
    box.appendChild(count);
    table.parentNode.insertBefore(box, table);
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("main table"), enhance);
  });
})();
