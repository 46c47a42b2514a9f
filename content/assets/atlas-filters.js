/* Facet filters and sortable columns of the atlas's index tables.
 *
 * The build writes what this needs (generator/render/table_facets.py): each row's facet values as
 * tokens (data-facet-<key>="a b"), each cell's sort key where its text would sort wrongly
 * (data-sort), and above the table a hidden box listing each facet's values with their counts.
 * Here each list becomes a labelled <select>, a "Sort by" select and a "Show all" button are added,
 * and the box is shown; the rows the chosen values leave out are hidden, the counts and the live
 * region follow, and each column header gets a button that sorts by it (tablesort, vendored in
 * assets/vendor/tablesort, sets aria-sort on the header cell).
 *
 * The view lives in the page's address: ?pathway=…&gap=docking-gap:partial&sort=established&order=desc.
 * It is read on load and rewritten with history.replaceState, which also works for a page opened
 * from disk (file://: only the query changes). Without this script the whole table is shown and
 * no control exists; in print the box stays hidden.
 */
(function () {
  "use strict";

  var ORDER = { ascending: "asc", descending: "desc" };
  var each = function (list, fn) { Array.prototype.forEach.call(list, fn); };

  /* The page's address with `changes` (name → value, "" to drop), other parameters kept as they are.
     Values are encoded, but ":" is left readable (gap=docking-gap:partial). */
  function rewriteAddress(changes) {
    var kept = [];
    new URLSearchParams(window.location.search).forEach(function (value, name) {
      if (!(name in changes)) kept.push([name, value]);
    });
    Object.keys(changes).forEach(function (name) {
      if (changes[name]) kept.push([name, changes[name]]);
    });
    var query = kept.map(function (pair) {
      return encodeURIComponent(pair[0]) + "=" + encodeURIComponent(pair[1]).replace(/%3A/gi, ":");
    }).join("&");
    var url = window.location.href.split(/[?#]/)[0] + (query ? "?" + query : "") + window.location.hash;
    try {
      window.history.replaceState(window.history.state, "", url);
    } catch (refused) {
      /* a browser that refuses to rewrite this address: the view still works, it is only not kept */
    }
  }

  // A labelled <select> in place of `holder`'s content, with an option per [value, text].
  function makeSelect(holder, id, labelText, options) {
    var label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = labelText;
    var select = document.createElement("select");
    select.id = id;
    options.forEach(function (option) {
      var element = document.createElement("option");
      element.value = option[0];
      element.textContent = option[1];  // text, never markup: the names are entry text
      select.appendChild(element);
    });
    holder.textContent = "";
    holder.appendChild(label);
    holder.appendChild(select);
    return select;
  }

  function setUp(box) {
    var table = box.querySelector("table");
    var controls = box.querySelector(".atlas-facets");
    if (box.hasAttribute("data-facets-ready") || !table || !controls || !table.tHead || !table.tBodies.length) return;
    box.setAttribute("data-facets-ready", "");
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var live = controls.querySelector(".atlas-facets-count");
    var help = controls.querySelector(".atlas-facets-help");
    var noun = box.getAttribute("data-noun");
    var columns = (box.getAttribute("data-columns") || "").split(" ");
    var headers = table.tHead.rows[table.tHead.rows.length - 1].cells;
    var query = new URLSearchParams(window.location.search);

    // Each facet's list of values becomes its select; `names` keeps each option's name without its count.
    var names = [];
    var selects = Array.prototype.map.call(controls.querySelectorAll(".atlas-facet[data-facet]"), function (facet) {
      var values = Array.prototype.map.call(facet.querySelectorAll("li[data-value]"), function (item) {
        return [item.getAttribute("data-value"), item.textContent];
      });
      names.push(values.map(function (value) { return value[1].replace(/ \(\d+\)$/, ""); }));
      var select = makeSelect(facet, facet.getAttribute("data-control"), facet.querySelector(".atlas-facet-name").textContent, values);
      select.setAttribute("data-facet", facet.getAttribute("data-facet"));
      return select;
    });

    // Each row's tokens, by facet, read once.
    var tokens = rows.map(function (row) {
      var own = {};
      selects.forEach(function (select) {
        var key = select.getAttribute("data-facet");
        own[key] = (row.getAttribute("data-facet-" + key) || "").split(" ");
      });
      return own;
    });
    var has = function (i, select, value) {
      return !value || tokens[i][select.getAttribute("data-facet")].indexOf(value) >= 0;
    };
    // Whether row i passes every select but `except`.
    var passes = function (i, except) {
      return selects.every(function (select) { return select === except || has(i, select, select.value); });
    };

    /* Hide the rows left out; give each option the number of rows it would show with the other
       selects as they are; say how many rows are shown. */
    function filter() {
      var shown = 0;
      rows.forEach(function (row, i) {
        row.hidden = !passes(i, null);
        if (!row.hidden) shown += 1;
      });
      selects.forEach(function (select, s) {
        each(select.options, function (option, o) {
          var count = rows.filter(function (row, i) { return passes(i, select) && has(i, select, option.value); }).length;
          option.textContent = names[s][o] + " (" + count + ")";
        });
      });
      live.textContent = shown + " of " + rows.length + " " + noun + " shown";
    }

    function keepFilters() {
      var changes = {};
      selects.forEach(function (select) { changes[select.getAttribute("data-facet")] = select.value; });
      rewriteAddress(changes);
    }

    // "Sort by": every column in both orders, for a phone, whose cards leave the header row out of sight.
    var sortOptions = box.hasAttribute("data-sorted") ? [] : [["", "As listed"]];
    each(headers, function (th, i) {
      var label = th.textContent.trim();
      sortOptions.push([columns[i] + ":asc", label + ", ascending"], [columns[i] + ":desc", label + ", descending"]);
    });
    var sortHolder = document.createElement("div");
    sortHolder.className = "atlas-facet atlas-facet-sort";
    controls.insertBefore(sortHolder, help);
    var sortSelect = makeSelect(sortHolder, box.getAttribute("data-table") + "-sort", "Sort by", sortOptions);

    // Sorting: a button in each header cell (Tab reaches it; Enter and Space press it), sorted by tablesort.
    each(headers, function (th) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "atlas-sort";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
    });
    var sorter = new window.Tablesort(table);
    each(headers, function (th) { th.removeAttribute("tabindex"); });  // the button is the one stop, not the cell as well
    /* Rows that tie keep the page's own order (by name), whatever was sorted before, so that a shared
       address gives the same order. Tablesort turns ties over relative to the rows as they stand, in
       both directions: hand it the rows in the page's order reversed. */
    table.addEventListener("beforeSort", function () {
      var body = table.tBodies[0];
      for (var i = rows.length - 1; i >= 0; i -= 1) body.appendChild(rows[i]);
    });

    // sortTable turns a header's order over: set the other one first to get `order`.
    function sortBy(th, order) {
      if (sorter.current && sorter.current !== th) sorter.current.removeAttribute("aria-sort");
      th.setAttribute("aria-sort", order === "ascending" ? "descending" : "ascending");
      sorter.current = th;
      sorter.sortTable(th);
    }
    function showSort() {
      var th = sorter.current;
      if (th) sortSelect.value = columns[th.cellIndex] + ":" + ORDER[th.getAttribute("aria-sort")];
    }

    var sortedBy = columns.indexOf(box.getAttribute("data-sorted"));
    if (sortedBy >= 0) {  // the rows come sorted by this column: say so
      headers[sortedBy].setAttribute("aria-sort", "ascending");
      sorter.current = headers[sortedBy];
    }
    var wanted = columns.indexOf(query.get("sort"));
    if (wanted >= 0) sortBy(headers[wanted], query.get("order") === "desc" ? "descending" : "ascending");
    showSort();
    table.addEventListener("afterSort", function () {
      var th = sorter.current;
      showSort();
      rewriteAddress({ sort: columns[th.cellIndex], order: ORDER[th.getAttribute("aria-sort")] });
    });
    sortSelect.addEventListener("change", function () {
      var choice = sortSelect.value.split(":");
      var column = columns.indexOf(choice[0]);
      if (column >= 0) sortBy(headers[column], choice[1] === "desc" ? "descending" : "ascending");
    });

    // Filters: from the address, then as readers choose.
    selects.forEach(function (select) {
      var value = query.get(select.getAttribute("data-facet"));
      if (value && Array.prototype.some.call(select.options, function (option) { return option.value === value; })) select.value = value;
      select.addEventListener("change", function () { filter(); keepFilters(); });
    });
    var clear = document.createElement("button");
    clear.type = "button";
    clear.className = "atlas-facets-clear";
    clear.textContent = "Show all";
    controls.insertBefore(clear, help);
    clear.addEventListener("click", function () {
      selects.forEach(function (select) { select.value = ""; });
      filter();
      keepFilters();
    });
    filter();
    controls.hidden = false;
  }

  function start() { each(document.querySelectorAll(".atlas-facet-table"), setUp); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
