/* The timeline's filters in the page's address, so that a filtered timeline can be shared and reloaded.
 *
 * Each facet is a <fieldset data-facet="NAME"> of checkboxes (generator/render/timeline_page.py); CSS does
 * the filtering. A facet with some values unchecked is written as ?NAME=checked,values (a facet with every
 * value checked is left out); on load, a facet named in the address checks just the values it lists.
 * Without this script every checkbox still works; the address just does not follow.
 */
(function () {
  "use strict";
  var facets = document.querySelectorAll(".atlas-tl-filters fieldset[data-facet]");
  if (!facets.length) return;

  function boxes(fieldset) {
    return Array.prototype.slice.call(fieldset.querySelectorAll("input[type=checkbox]"));
  }

  function read() {
    var params = new URLSearchParams(window.location.search);
    facets.forEach(function (fieldset) {
      var name = fieldset.getAttribute("data-facet");
      if (!params.has(name)) return;
      var wanted = params.get(name).split(",");
      boxes(fieldset).forEach(function (box) { box.checked = wanted.indexOf(box.value) !== -1; });
    });
  }

  function write() {
    var params = new URLSearchParams(window.location.search);
    facets.forEach(function (fieldset) {
      var name = fieldset.getAttribute("data-facet");
      var all = boxes(fieldset);
      var checked = all.filter(function (box) { return box.checked; }).map(function (box) { return box.value; });
      if (checked.length === all.length) params.delete(name);
      else params.set(name, checked.join(","));
    });
    var query = [];  // by hand, not params.toString(), so that the commas stay commas
    params.forEach(function (value, key) {
      query.push(encodeURIComponent(key) + "=" + value.split(",").map(encodeURIComponent).join(","));
    });
    query = query.join("&");
    window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
  }

  read();
  facets.forEach(function (fieldset) { fieldset.addEventListener("change", write); });
})();
